/**
 * SqliteEventStore against Emmett's SQLite event store (@event-driven-io/emmett-sqlite) on the same
 * ServiceDelivered events, with the same durability, in the same process and the same run:
 *
 *  a. batched    - appends of 1,000 events, one after another, round-robin over 10 streams.
 *  b. concurrent - 32 async callers, each appending one event at a time to its own stream.
 *  c. streams    - each of the 10 streams of (a) read back whole.
 *  d. global log - the whole log read back in position order, pages of 1,000.
 *
 * Durability: Emmett opens every connection with `PRAGMA journal_mode = WAL` and leaves
 * `synchronous` at SQLite's default, FULL (read back below from a connection opened the same way);
 * our store sets WAL + synchronous = FULL. Both sides commit with an fsync of the WAL.
 *
 * Connection handling: our store keeps one better-sqlite3 connection (synchronous calls on the main
 * thread) and commits the appends that arrive in one event-loop turn in one transaction (group
 * commit). Emmett's store opens a node-sqlite3 connection (asynchronous, on libuv's thread pool)
 * for each call on a file and closes it when the call ends (the last connection to close checkpoints
 * the WAL); every append is its own BEGIN IMMEDIATE transaction. Concurrent calls on one Emmett
 * store share the open connection and the first to finish closes it under the others (0.38.5:
 * they fail with SQLITE_MISUSE, or report success and are rolled back), so its 32 callers take
 * turns through a queue here: the most a single Emmett store can do correctly.
 *
 * Every measurement writes a fresh file in a fresh folder; the sides are interleaved.
 */
import Database from 'better-sqlite3';
import {
  type SQLiteEventStore,
  createEventStoreSchema,
  getSQLiteEventStore,
  readMessagesBatch,
  sqliteConnection,
} from '@event-driven-io/emmett-sqlite';
import { SqliteEventStore, type NewEvent } from '@ihl/event-store';
import {
  type PlannedAppend,
  type Run,
  batchedStore,
  callerStream,
  concurrentStore,
  describe,
  fmtCount,
  planBatched,
  planConcurrent,
  round,
  stopwatch,
} from './append-workloads';
import { type BenchmarkSuite, type WorkloadResult, freshDir, maybeGc, measurement } from './harness';

const QUICK = process.env['BENCH_QUICK'] === '1';
/**
 * BENCH_EMMETT_PER_CALLER=1 adds workload b with a store per caller. Off by default: 32 Emmett
 * connections contend for the write lock in 1 s busy timeouts (a BENCH_QUICK run of 320 events had
 * 345 timeouts and had not finished after two minutes).
 */
const PER_CALLER = process.env['BENCH_EMMETT_PER_CALLER'] === '1';
/** BENCH_EMMETT_PART=reads (or appends) runs only that half: before/after pairs of one change in minutes. */
const PART = process.env['BENCH_EMMETT_PART'];

const CONFIG = {
  batched: { totalEvents: QUICK ? 10_000 : 100_000, eventsPerAppend: 1_000, streams: 10 },
  // Emmett opens a connection, commits and checkpoints for every append (~20-50 appends/s on this
  // shared host): 30 appends per caller keep a repetition under a minute.
  concurrent: { callers: 32, totalEvents: QUICK ? 320 : 960 },
  readPage: 1_000,
  reps: 3,
  goal: 3,
};

/** The same event as Emmett takes it (Emmett makes its own message id; ours is the event id). */
function toEmmett(e: NewEvent): { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> } {
  if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data))
    throw new Error('Emmett events carry an object as data');
  return { type: e.type, data: e.data, metadata: e.metadata ?? {} };
}

/** Emmett's store on a fresh file whose schema is created before the clock starts. */
async function emmettStore(file: string): Promise<{ store: SQLiteEventStore; durability: string }> {
  const conn = sqliteConnection({ fileName: file });
  try {
    await createEventStoreSchema(conn);
    const mode = await conn.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
    const sync = await conn.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    if (mode?.journal_mode !== 'wal' || sync?.synchronous !== 2)
      throw new Error(`Emmett's connection runs ${mode?.journal_mode} + synchronous=${sync?.synchronous}`);
    const durability = `journal_mode=${mode.journal_mode}, synchronous=${sync.synchronous} (FULL)`;
    return { store: getSQLiteEventStore({ fileName: file, schema: { autoMigration: 'None' } }), durability };
  } finally {
    conn.close();
  }
}

function countEmmett(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from emt_messages').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function expectEmmettCount(file: string, expected: number, what: string): void {
  const n = countEmmett(file);
  if (n !== expected) throw new Error(`${what}: expected ${expected} Emmett messages on disk, found ${n}`);
}

/** SQLITE_BUSY answers retried, per measurement (see `busyRetried`). */
let busyRetries = 0;

/**
 * Emmett 0.38.5 reads `INSERT ... RETURNING` with node-sqlite3's `get`, which can leave the
 * statement unfinished when COMMIT runs: the append then fails with SQLITE_BUSY "cannot commit
 * transaction - SQL statements in progress" and is rolled back. With a store per caller, a
 * BEGIN IMMEDIATE can also wait out the 1 s busy timeout (SQLITE_BUSY "database is locked"), and
 * Emmett's ROLLBACK after it fails with "no transaction is active", which is what is thrown. An
 * application would retry both, so the bench does (same expected version: nothing was written),
 * and counts the retries.
 */
async function busyRetried<T>(append: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await append();
    } catch (e) {
      // A BEGIN that timed out on the lock surfaces as the ROLLBACK that follows it failing.
      const busy =
        e instanceof Error &&
        (('errno' in e && e.errno === 5) || e.message.includes('cannot rollback - no transaction is active'));
      if (!busy || attempt >= 10) throw e;
      busyRetries++;
    }
  }
}

async function emmettAppendPlan(store: SQLiteEventStore, plan: readonly PlannedAppend[]): Promise<void> {
  for (const a of plan) {
    const r = await busyRetried(() =>
      store.appendToStream(a.streamId, a.events.map(toEmmett), {
        expectedStreamVersion: BigInt(a.firstRevision),
      }),
    );
    if (r.nextExpectedStreamVersion !== BigInt(a.firstRevision + a.events.length))
      throw new Error('batched/emmett: unexpected stream version');
  }
}

let emmettDurability = '';

async function batchedEmmett(plan: readonly PlannedAppend[], total: number): Promise<Run> {
  const tmp = freshDir('ihl-bench-emmett-');
  try {
    const file = tmp.file('emmett.sqlite');
    const { store, durability } = await emmettStore(file);
    emmettDurability = durability;
    maybeGc();
    const stop = stopwatch();
    await emmettAppendPlan(store, plan);
    const r = stop(total);
    expectEmmettCount(file, total, 'batched/emmett');
    return r;
  } finally {
    tmp.dispose();
  }
}

/**
 * `storePerCaller` false: one Emmett store, its calls queued (see the header). True: a store per
 * caller, so 32 connections at once and SQLite's write lock (BEGIN IMMEDIATE, node-sqlite3's
 * 1 s busy timeout) takes the turns.
 */
async function concurrentEmmett(plan: readonly NewEvent[][], total: number, storePerCaller: boolean): Promise<Run> {
  const tmp = freshDir('ihl-bench-emmett-');
  try {
    const file = tmp.file('emmett.sqlite');
    const { store } = await emmettStore(file);
    const stores = plan.map(() =>
      storePerCaller ? getSQLiteEventStore({ fileName: file, schema: { autoMigration: 'None' } }) : store,
    );
    let queue: Promise<unknown> = Promise.resolve();
    const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
      if (storePerCaller) return fn();
      const next = queue.then(fn);
      queue = next.catch(() => undefined);
      return next;
    };
    const caller = async (c: number) => {
      let version = 0n;
      for (const ev of plan[c]!) {
        const r = await inTurn(() =>
          busyRetried(() =>
            stores[c]!.appendToStream(callerStream(c), [toEmmett(ev)], { expectedStreamVersion: version }),
          ),
        );
        version = r.nextExpectedStreamVersion;
      }
    };
    maybeGc();
    const stop = stopwatch();
    // Settled, not all: a failed caller must not let the folder go while the others still write.
    const settled = await Promise.allSettled(plan.map((_, c) => caller(c)));
    const r = stop(total);
    const failed = settled.find((x) => x.status === 'rejected');
    if (failed) throw failed.reason;
    expectEmmettCount(file, total, 'concurrent/emmett');
    return r;
  } finally {
    tmp.dispose();
  }
}

interface ReadRuns {
  readonly streams: Run;
  readonly global: Run;
}

/** Reads of (c) and (d) on a file the side wrote untimed with the batched plan. */
async function readsOurs(plan: readonly PlannedAppend[], total: number, streams: number): Promise<ReadRuns> {
  const tmp = freshDir('ihl-bench-store-');
  try {
    const store = new SqliteEventStore({ file: tmp.file('events.sqlite') });
    for (const a of plan) await store.append(a.streamId, a.events, a.expected);
    maybeGc();
    let read = 0;
    let stop = stopwatch();
    for (let s = 0; s < streams; s++) read += (await store.readStream(plan[s]!.streamId)).length;
    const streamsRun = stop(total);
    if (read !== total) throw new Error(`streams/ours: read ${read} events, expected ${total}`);
    maybeGc();
    read = 0;
    stop = stopwatch();
    for (let after = 0; ;) {
      const page = await store.readAll({ after, maxCount: CONFIG.readPage });
      if (page.length === 0) break;
      read += page.length;
      after = page[page.length - 1]!.position;
    }
    const global = stop(total);
    await store.close();
    if (read !== total) throw new Error(`global/ours: read ${read} events, expected ${total}`);
    return { streams: streamsRun, global };
  } finally {
    tmp.dispose();
  }
}

async function readsEmmett(plan: readonly PlannedAppend[], total: number, streams: number): Promise<ReadRuns> {
  const tmp = freshDir('ihl-bench-emmett-');
  try {
    const file = tmp.file('emmett.sqlite');
    const { store } = await emmettStore(file);
    await emmettAppendPlan(store, plan);
    maybeGc();
    let read = 0;
    let stop = stopwatch();
    for (let s = 0; s < streams; s++) read += (await store.readStream(plan[s]!.streamId)).events.length;
    const streamsRun = stop(total);
    if (read !== total) throw new Error(`streams/emmett: read ${read} events, expected ${total}`);
    // Emmett's store has no global read of its own: its consumers page with readMessagesBatch.
    const conn = sqliteConnection({ fileName: file });
    maybeGc();
    read = 0;
    stop = stopwatch();
    for (let after = 0n; ;) {
      const page = await readMessagesBatch(conn, { after, batchSize: CONFIG.readPage });
      if (page.messages.length === 0) break;
      read += page.messages.length;
      after = page.currentGlobalPosition;
    }
    const global = stop(total);
    conn.close();
    if (read !== total) throw new Error(`global/emmett: read ${read} events, expected ${total}`);
    return { streams: streamsRun, global };
  } finally {
    tmp.dispose();
  }
}

/** Runs `ours` and `emmett` once per repetition, alternating which goes first. */
async function pairs<T>(
  name: string,
  log: (line: string) => void,
  events: number,
  ours: (rep: number) => Promise<T>,
  emmett: (rep: number) => Promise<T>,
  runOf: (t: T) => Run,
  emmettPerCaller?: (rep: number) => Promise<T>,
): Promise<{ ours: T[]; emmett: T[]; emmettPerCaller: T[]; emmettBusyRetries: string }> {
  const out = { ours: [] as T[], emmett: [] as T[], emmettPerCaller: [] as T[] };
  const measure = { ours, emmett, ...(emmettPerCaller ? { emmettPerCaller } : {}) };
  const sides = Object.keys(measure) as (keyof typeof out)[];
  const retries: number[] = [];
  for (let rep = 0; rep < CONFIG.reps; rep++) {
    // The order rotates every repetition (two sides: alternates), so drift hits every side alike.
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(k + rep) % sides.length]!;
      busyRetries = 0;
      const t = await measure[side]!(rep);
      out[side].push(t);
      if (side !== 'ours') retries.push(busyRetries);
      const retried = side !== 'ours' && busyRetries > 0 ? `, ${busyRetries} SQLITE_BUSY retries` : '';
      log(`  ${name} rep ${rep + 1} ${side.padEnd(15)}: ${describe(runOf(t), events)}${retried}`);
    }
  }
  return { ...out, emmettBusyRetries: retries.join(' / ') };
}

function toResult(
  id: string,
  title: string,
  ours: readonly Run[],
  emmett: readonly Run[],
  details: Record<string, number | string>,
  perCaller?: readonly Run[],
): WorkloadResult {
  const baseline = measurement(
    perCaller ? "Emmett's SQLite event store, one store, calls queued" : "Emmett's SQLite event store",
    emmett.map((r) => r.rate),
  );
  const subject = measurement(
    'SqliteEventStore',
    ours.map((r) => r.rate),
  );
  const ratio = subject.median / baseline.median;
  const cpu = (runs: readonly Run[], events: number) =>
    round((runs.reduce((a, r) => a + r.cpuMs, 0) / runs.length / events) * 1000, 1);
  const events = Number(details['events']);
  return {
    id,
    title,
    unit: 'events/s',
    baseline,
    subject,
    ratio,
    pairRatios: ours.map((r, i) => round(r.rate / emmett[i]!.rate, 3)),
    goal: { minRatio: CONFIG.goal },
    pass: ratio >= CONFIG.goal,
    details: {
      ...details,
      cpuUsPerEventOursVsEmmett: `${cpu(ours, events)} / ${cpu(emmett, events)}`,
      emmettDurability,
      oursDurability: 'journal_mode=wal, synchronous=2 (FULL), set by SqliteEventStore',
    },
    ...(perCaller && {
      otherBaselines: [
        {
          baseline: measurement(
            "Emmett's SQLite event store, a store per caller (32 connections)",
            perCaller.map((r) => r.rate),
          ),
          ratio:
            subject.median /
            measurement(
              '',
              perCaller.map((r) => r.rate),
            ).median,
          pairRatios: ours.map((r, i) => round(r.rate / perCaller[i]!.rate, 3)),
        },
      ],
    }),
  };
}

async function appendWorkloads(log: (line: string) => void): Promise<WorkloadResult[]> {
  const { totalEvents, eventsPerAppend, streams } = CONFIG.batched;
  const batchedPlans = Array.from({ length: CONFIG.reps }, (_, rep) =>
    planBatched(totalEvents, eventsPerAppend, streams, 1000 + rep),
  );
  const a = await pairs(
    'a. batched',
    log,
    totalEvents,
    (rep) => batchedStore(batchedPlans[rep]!, totalEvents),
    (rep) => batchedEmmett(batchedPlans[rep]!, totalEvents),
    (r) => r,
  );
  const { callers, totalEvents: concurrentEvents } = CONFIG.concurrent;
  const oursCommits: number[] = [];
  const concurrentPlans = Array.from({ length: CONFIG.reps }, (_, rep) =>
    planConcurrent(concurrentEvents, callers, 2000 + rep),
  );
  const b = await pairs(
    'b. concurrent',
    log,
    concurrentEvents,
    async (rep) => {
      const r = await concurrentStore(concurrentPlans[rep]!, concurrentEvents);
      oursCommits.push(r.commits);
      return r;
    },
    (rep) => concurrentEmmett(concurrentPlans[rep]!, concurrentEvents, false),
    (r) => r,
    PER_CALLER ? (rep) => concurrentEmmett(concurrentPlans[rep]!, concurrentEvents, true) : undefined,
  );
  return [
    toResult(
      'emmett-batched-appends',
      `a. Batched: ${fmtCount(totalEvents)} events, appends of ${fmtCount(eventsPerAppend)} (${streams} streams)`,
      a.ours,
      a.emmett,
      { events: totalEvents, eventsPerAppend, streams, emmettBusyRetriesPerRep: a.emmettBusyRetries },
    ),
    toResult(
      'emmett-concurrent-single-appends',
      `b. Concurrent: ${callers} callers x 1-event appends, ${fmtCount(concurrentEvents)} events`,
      b.ours,
      b.emmett,
      {
        events: concurrentEvents,
        callers,
        emmettCalls:
          'one store, one call at a time (a queue: concurrent calls on one Emmett store break its shared connection)',
        oursCommitsPerRep: oursCommits.join(' / '),
        emmettBusyRetriesPerRep: b.emmettBusyRetries,
        ...(PER_CALLER && {
          emmettPerCallerCpuUsPerEvent: round(
            (b.emmettPerCaller.reduce((x, r) => x + r.cpuMs, 0) / b.emmettPerCaller.length / concurrentEvents) * 1000,
            1,
          ),
        }),
      },
      PER_CALLER ? b.emmettPerCaller : undefined,
    ),
  ];
}

async function readWorkloads(log: (line: string) => void): Promise<WorkloadResult[]> {
  const { totalEvents, eventsPerAppend, streams } = CONFIG.batched;
  const plans = Array.from({ length: CONFIG.reps }, (_, rep) =>
    planBatched(totalEvents, eventsPerAppend, streams, 3000 + rep),
  );
  const r = await pairs(
    'c+d. reads',
    log,
    totalEvents,
    (rep) => readsOurs(plans[rep]!, totalEvents, streams),
    (rep) => readsEmmett(plans[rep]!, totalEvents, streams),
    (x) => x.global,
  );
  const perStream = totalEvents / streams;
  return [
    toResult(
      'emmett-read-streams',
      `c. Read ${streams} streams whole (${fmtCount(perStream)} events each)`,
      r.ours.map((x) => x.streams),
      r.emmett.map((x) => x.streams),
      {
        events: totalEvents,
        streams,
        emmettCall: 'store.readStream (a connection per call)',
        emmettBusyRetriesWritingPerRep: r.emmettBusyRetries,
      },
    ),
    toResult(
      'emmett-read-global',
      `d. Read the global log in order, pages of ${fmtCount(CONFIG.readPage)} (${fmtCount(totalEvents)} events)`,
      r.ours.map((x) => x.global),
      r.emmett.map((x) => x.global),
      { events: totalEvents, emmettCall: 'readMessagesBatch on one connection (as its consumers page)' },
    ),
  ];
}

export const emmettBenchmarks: BenchmarkSuite = {
  name: "emmett (SqliteEventStore vs Emmett's SQLite event store)",
  async run(log) {
    log('  warm-up (untimed)');
    const warm = planBatched(10_000, 1_000, 10, 999);
    await batchedStore(warm, 10_000);
    await batchedEmmett(warm, 10_000);
    log(`appends${QUICK ? ' (BENCH_QUICK)' : ''}`);
    const appends = PART === 'reads' ? [] : await appendWorkloads(log);
    log(`reads${QUICK ? ' (BENCH_QUICK)' : ''}`);
    const reads = PART === 'appends' ? [] : await readWorkloads(log);
    return [...appends, ...reads];
  },
};
