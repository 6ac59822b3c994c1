import { Worker } from 'node:worker_threads';
import { EVENT_COLUMNS, type EventRow } from './event-row.mapping';

/** Control words at the start of the shared buffer. */
const FILLED = 0; // slots published by the reader (monotonic)
const CONSUMED = 1; // slots released by the feed (monotonic)
const STATE = 2; // 0 while reading, then DONE or FAILED
const STOP = 3; // set by the feed: the reader stops at its next slot
const EPOCH = 4; // bumped by the reader at every publish and at its end: what the feed waits on
const DOORBELL = 5; // bumped by the feed at every release and at close: what the reader waits on
const DONE = 1;
const FAILED = 2;
const CONTROL_BYTES = 64;

/** Slot header: event count, then OVERSIZED's position when set. */
const SLOT_HEADER = 16;
const OVERSIZED = -1;
/**
 * Per event: position and revision (f64), schema version and the six strings' byte lengths (i32),
 * padded. A length of SAME: the string equals the previous event's in the slot (one timestamp per
 * commit, a run of one type), so the feed reuses that string instead of copying it again.
 */
const EVENT_HEADER = 48;
const SAME = -1;
/** Rows per query in the reader: paged, as the feed's own reads (a row at a time costs more). */
const PAGE = 512;

/** Node has it since 16; the compile target's library (ES2022) does not declare it. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      a: Int32Array,
      index: number,
      value: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

const SLOTS = 8;
const SLOT_BYTES = 256 * 1024;

/**
 * Plain JavaScript, run with `eval`: no build step, and the same under ts-jest, tsx and the compiled
 * app. It reads the rows with its own read-only connection and writes them as bytes into the shared
 * ring as UTF-8.
 */
const READER_SOURCE = `
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const { driver, file, after, upTo, expectIds, sab, slots, slotBytes } = workerData;
const ctrl = new Int32Array(sab, 0, 8);
const buf = Buffer.from(sab);
const view = new DataView(sab);
let db;
let filled = 0;
let base = 0;
let off = 0;
let count = 0;
// The previous event's strings in this slot: each slot stands alone.
const prev = [null, null, null, null, null, null];
function publish() {
  view.setInt32(base, count, true);
  Atomics.store(ctrl, ${FILLED}, ++filled);
  Atomics.add(ctrl, ${EPOCH}, 1);
  Atomics.notify(ctrl, ${EPOCH});
}
function claim() {
  for (;;) {
    const bell = Atomics.load(ctrl, ${DOORBELL});
    if (Atomics.load(ctrl, ${STOP}) !== 0) return false;
    if (filled - Atomics.load(ctrl, ${CONSUMED}) < slots) break;
    Atomics.wait(ctrl, ${DOORBELL}, bell, 1000);
  }
  base = ${CONTROL_BYTES} + (filled % slots) * slotBytes;
  off = base + ${SLOT_HEADER};
  count = 0;
  prev.fill(null);
  return Atomics.load(ctrl, ${STOP}) === 0;
}
try {
  const Database = require(driver);
  db = new Database(file, { readonly: true, fileMustExist: true });
  // Opened by name: make sure it is the store's own database (not a file put in its place since).
  const idAt = db.prepare('select event_id from events where position = ?').pluck();
  for (const [position, id] of expectIds)
    if (idAt.get(position) !== id) throw new Error('the file at ' + file + ' is not the database the store has open');
  const page = db
    .prepare('select ${EVENT_COLUMNS} from events where position > ? and position <= ? order by position limit ${PAGE}')
    .raw(true);
  let open = claim();
  let rows = open ? page.all(after, upTo) : [];
  let i = 0;
  while (open && i < rows.length) {
    const r = rows[i++];
    if (i === rows.length) (rows = page.all(r[0], upTo)), (i = 0);
    // The row's strings in column order: stream_id, event_id, type, data, metadata, recorded_at.
    const strings = [r[1], r[3], r[4], r[6], r[7], r[8]];
    // At most 3 bytes per UTF-16 unit; counted exactly only when that bound does not fit.
    let units = 0;
    for (const s of strings) units += s.length;
    let need = ${EVENT_HEADER} + 3 * units;
    if (off + need > base + slotBytes) {
      need = ${EVENT_HEADER};
      for (const s of strings) need += Buffer.byteLength(s);
    }
    if (off + need > base + slotBytes && count > 0) {
      publish();
      if (!(open = claim())) break;
    }
    if (off + need > base + slotBytes) {
      // Too large for a slot: the feed reads this one row itself.
      view.setFloat64(base + 8, r[0], true);
      count = ${OVERSIZED};
      publish();
      if (!(open = claim())) break;
      continue;
    }
    const h = off;
    off += ${EVENT_HEADER};
    view.setFloat64(h, r[0], true);
    view.setFloat64(h + 8, r[2], true);
    view.setInt32(h + 16, r[5], true);
    // Room was checked above, so nothing is cut.
    for (let k = 0; k < 6; k++) {
      if (strings[k] === prev[k]) {
        view.setInt32(h + 20 + 4 * k, ${SAME}, true);
        continue;
      }
      const n = buf.write(strings[k], off, 'utf8');
      off += n;
      view.setInt32(h + 20 + 4 * k, n, true);
      prev[k] = strings[k];
    }
    count++;
  }
  if (open && count > 0) publish();
  Atomics.store(ctrl, ${STATE}, ${DONE});
} catch (e) {
  parentPort.postMessage(e instanceof Error ? e.message : String(e));
  Atomics.store(ctrl, ${STATE}, ${FAILED});
} finally {
  if (db) db.close();
  Atomics.add(ctrl, ${EPOCH}, 1);
  Atomics.notify(ctrl, ${EPOCH});
}
`;

/**
 * Reads the feed's rows from `after` to `upTo` on a second thread, a slot of rows ahead of the
 * handlers. A replay from position 0 spends about a third of its time reading rows; here the main
 * thread only copies bytes out of a shared ring into strings, and the reading overlaps with the
 * read models' work. Bytes, not messages: structured cloning a row costs more than reading it.
 */
export class FeedReadAhead {
  private readonly ctrl: Int32Array;
  private readonly buf: Buffer;
  private readonly view: DataView;
  private readonly worker: Worker;
  private consumed = 0;
  /** Why the reader stopped early, if it did. */
  failure: string | null = null;
  private exited = false;
  private readonly ended: Promise<void>;

  /**
   * @param file opened again by name (an absolute path): `expectIds` are event ids the caller's
   *   connection has at some positions, checked by the reader before it reads anything.
   * @param rowAt reads one row on the caller's connection: a row too large for a slot.
   * Throws if the thread cannot be started.
   */
  constructor(
    file: string,
    after: number,
    upTo: number,
    expectIds: readonly (readonly [number, string])[],
    private readonly rowAt: (position: number) => EventRow,
  ) {
    const sab = new SharedArrayBuffer(CONTROL_BYTES + SLOTS * SLOT_BYTES);
    this.ctrl = new Int32Array(sab, 0, 8);
    this.buf = Buffer.from(sab);
    this.view = new DataView(sab);
    this.worker = new Worker(READER_SOURCE, {
      eval: true,
      // A page of rows lives briefly: a small young generation keeps the thread's memory from growing
      // over a long replay (the old generation is left uncapped: a page of large events must fit).
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
      workerData: {
        driver: require.resolve('better-sqlite3'),
        file,
        after,
        upTo,
        expectIds,
        sab,
        slots: SLOTS,
        slotBytes: SLOT_BYTES,
      },
    });

    this.worker.on('message', (m: string) => (this.failure = m));
    this.worker.on('error', (e) => (this.failure ??= e.message));
    this.ended = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.exited = true;
        // Wakes a feed waiting for a slot that will never come (a reader that died without saying so).
        Atomics.add(this.ctrl, EPOCH, 1);
        Atomics.notify(this.ctrl, EPOCH);
        resolve();
      }),
    );
    // Held (ref'd) only while the feed waits for it: a pending Atomics.waitAsync does not keep the
    // process alive by itself, and a feed that stops pulling without close() must not either. After the
    // listeners: a 'message' listener refs the thread's port again.
    this.worker.unref();
  }

  /**
   * The next slot's rows; null once every row up to `upTo` was handed over, after `close`, or when
   * the reader failed (`failure` says why; the feed then reads on from where it got to itself).
   */
  async next(): Promise<EventRow[] | null> {
    for (;;) {
      const epoch = Atomics.load(this.ctrl, EPOCH);
      if (Atomics.load(this.ctrl, STOP) !== 0) return null;
      if (Atomics.load(this.ctrl, FILLED) > this.consumed) return this.take();
      const state = Atomics.load(this.ctrl, STATE);
      if (state === DONE) return Atomics.load(this.ctrl, FILLED) > this.consumed ? this.take() : null;
      if (state === FAILED || this.exited) {
        await this.held(this.ended);
        this.failure ??= 'the reader thread stopped';
        return null;
      }
      const wait = waitAsync(this.ctrl, EPOCH, epoch);
      if (wait.async) await this.held(wait.value);
    }
  }

  /** Stops the reader and waits for its thread to end (its connection closed). */
  async close(): Promise<void> {
    Atomics.store(this.ctrl, STOP, 1);
    this.ring();
    Atomics.add(this.ctrl, EPOCH, 1);
    Atomics.notify(this.ctrl, EPOCH);
    await this.held(this.ended);
  }

  /** Waits with the thread ref'd: nothing else may be keeping the process alive meanwhile. */
  private async held<T>(p: Promise<T>): Promise<T> {
    this.worker.ref();
    try {
      return await p;
    } finally {
      this.worker.unref();
    }
  }

  private take(): EventRow[] {
    const base = CONTROL_BYTES + (this.consumed % SLOTS) * SLOT_BYTES;
    const count = this.view.getInt32(base, true);
    let rows: EventRow[];
    if (count === OVERSIZED) rows = [this.rowAt(this.view.getFloat64(base + 8, true))];
    else {
      rows = new Array<EventRow>(count);
      const { buf, view } = this;
      let off = base + SLOT_HEADER;
      // The previous event's strings (a slot's first event carries all of its own).
      let stream = '';
      let eventId = '';
      let type = '';
      let data = '';
      let metadata = '';
      let recordedAt = '';
      for (let i = 0; i < count; i++) {
        const position = view.getFloat64(off, true);
        const revision = view.getFloat64(off + 8, true);
        const schemaVersion = view.getInt32(off + 16, true);
        const ns = view.getInt32(off + 20, true);
        const ni = view.getInt32(off + 24, true);
        const nt = view.getInt32(off + 28, true);
        const nd = view.getInt32(off + 32, true);
        const nm = view.getInt32(off + 36, true);
        const nr = view.getInt32(off + 40, true);
        off += EVENT_HEADER;
        if (ns !== SAME) stream = buf.toString('utf8', off, (off += ns));
        if (ni !== SAME) eventId = buf.toString('utf8', off, (off += ni));
        if (nt !== SAME) type = buf.toString('utf8', off, (off += nt));
        if (nd !== SAME) data = buf.toString('utf8', off, (off += nd));
        if (nm !== SAME) metadata = buf.toString('utf8', off, (off += nm));
        if (nr !== SAME) recordedAt = buf.toString('utf8', off, (off += nr));
        rows[i] = [position, stream, revision, eventId, type, schemaVersion, data, metadata, recordedAt];
      }
    }
    // The strings are copies: the slot can be refilled while the handlers run.
    Atomics.store(this.ctrl, CONSUMED, ++this.consumed);
    this.ring();
    return rows;
  }

  private ring(): void {
    Atomics.add(this.ctrl, DOORBELL, 1);
    Atomics.notify(this.ctrl, DOORBELL);
  }
}
