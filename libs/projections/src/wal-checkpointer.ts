import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Shared words: STOP (set by the owner), DONE (set by the thread once its connection is closed), COUNT. */
const STOP = 0;
const DONE = 1;
const COUNT = 2;

/**
 * Plain JavaScript run with `eval` (no build step): its own connection to the read-model file,
 * a PASSIVE checkpoint every `everyMs` until told to stop. PASSIVE never waits for or blocks the
 * writer; a checkpoint that finds the lock taken is simply tried again next time.
 */
const SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { driver, file, everyMs, sab } = workerData;
const flags = new Int32Array(sab);
let db;
try {
  const Database = require(driver);
  db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  db.pragma('synchronous = NORMAL');
  while (Atomics.load(flags, ${STOP}) === 0) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
      Atomics.add(flags, ${COUNT}, 1);
    } catch {}
    Atomics.wait(flags, ${STOP}, 0, everyMs);
  }
} catch {
  // Only slower: the owner's own checkpoint at the end does all of it.
} finally {
  if (db) db.close();
  Atomics.store(flags, ${DONE}, 1);
  Atomics.notify(flags, ${DONE});
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

  constructor(file: string, everyMs = 100) {
    this.worker = new Worker(SOURCE, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
      workerData: { driver: require.resolve('better-sqlite3'), file: resolve(file), everyMs, sab: this.flags.buffer },
    });
    // Never what keeps a process alive: it stops with the replay.
    this.worker.unref();
    this.worker.on('error', () => Atomics.store(this.flags, DONE, 1));
  }

  /** Checkpoints the thread has run. */
  get count(): number {
    return Atomics.load(this.flags, COUNT);
  }

  /**
   * Stops the thread and waits (blocking, at most `timeoutMs`) until its connection is closed, so
   * that the caller's own checkpoint, next, does not find the lock taken. Waits for one PASSIVE
   * checkpoint at most: one runs every 100 ms, each copying what came since the last.
   */
  stop(timeoutMs = 10_000): void {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.flags, STOP, 1);
    Atomics.notify(this.flags, STOP);
    Atomics.wait(this.flags, DONE, 0, timeoutMs);
  }
}
