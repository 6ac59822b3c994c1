import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Shared words: STOP (set by the owner), DONE (the thread's connection is closed), rounds that copied frames. */
const STOP = 0;
const DONE = 1;
const COPIED = 2;

/**
 * Plain JavaScript run with `eval` (no build step): its own connection to the read-model file,
 * a PASSIVE checkpoint every `everyMs` until told to stop. PASSIVE never waits for or blocks the
 * writer; a checkpoint that finds the lock taken is simply tried again next time.
 */
const SOURCE = `
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const { driver, file, everyMs, sab } = workerData;
const flags = new Int32Array(sab);
let db;
try {
  const Database = require(driver);
  db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  db.pragma('synchronous = NORMAL');
  let reported = false;
  while (Atomics.load(flags, ${STOP}) === 0) {
    try {
      const [r] = db.pragma('wal_checkpoint(PASSIVE)');
      if (r.busy === 0 && r.checkpointed > 0) Atomics.add(flags, ${COPIED}, 1);
    } catch (e) {
      // Tried again next round; said once.
      if (!reported) parentPort.postMessage(String(e && e.message));
      reported = true;
    }
    Atomics.wait(flags, ${STOP}, 0, everyMs);
  }
} catch (e) {
  // Only slower: the owner's own checkpoint at the end does all of it.
  parentPort.postMessage(String(e && e.message));
} finally {
  try {
    if (db) db.close();
  } finally {
    Atomics.store(flags, ${DONE}, 1);
    Atomics.notify(flags, ${DONE});
  }
}
`;

/**
 * Copies a bulk replay's WAL into the database file on a second thread while the replay goes on, so
 * the checkpoint at its end has only the last frames left (at 1M events it took ~0.9 s on the
 * replay's thread, ~0.2 s with this). The replay commits a thousand events at a time into a WAL that
 * is otherwise checkpointed only every 100,000 pages.
 */
export class WalCheckpointer {
  private readonly flags = new Int32Array(new SharedArrayBuffer(12));
  private readonly worker: Worker;
  private stopped = false;
  /** The first error the thread met, if any (it then ran on, or ended: only slower either way). */
  failure: string | null = null;

  constructor(file: string, everyMs = 100) {
    this.worker = new Worker(SOURCE, {
      eval: true,
      // Not the parent's preloads (a loader, an agent): this thread needs none of them.
      execArgv: [],
      workerData: { driver: require.resolve('better-sqlite3'), file: resolve(file), everyMs, sab: this.flags.buffer },
    });
    this.worker.on('message', (m: string) => (this.failure ??= m));
    const ended = () => Atomics.store(this.flags, DONE, 1);
    this.worker.on('error', (e) => {
      this.failure ??= e.message;
      ended();
    });
    this.worker.on('exit', ended);
    // Never what keeps a process alive: it stops with the replay. (After the listeners: a 'message'
    // listener refs the thread's port again.)
    this.worker.unref();
  }

  /** Rounds in which the thread copied WAL frames into the database file. */
  get copied(): number {
    return Atomics.load(this.flags, COPIED);
  }

  /**
   * Stops the thread and waits (blocking, at most `timeoutMs`) until its connection is closed, so
   * that the caller's own checkpoint, next, does not find the lock taken. Waits for one PASSIVE
   * checkpoint at most: one runs every 100 ms, each copying what came since the last. False if the
   * thread did not answer in time (it is then terminated; the caller's checkpoint may find it busy).
   */
  stop(timeoutMs = 2_000): boolean {
    if (this.stopped) return true;
    this.stopped = true;
    Atomics.store(this.flags, STOP, 1);
    Atomics.notify(this.flags, STOP);
    if (Atomics.wait(this.flags, DONE, 0, timeoutMs) === 'timed-out') {
      void this.worker.terminate();
      return false;
    }
    return true;
  }
}
