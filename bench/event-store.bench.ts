/**
 * SqliteEventStore write throughput against raw better-sqlite3 writing the same rows to the same
 * schema with the same durability (WAL + synchronous=FULL), in the same process and the same run.
 *
 *  1. batched   - appends of 1,000 events, one after another, vs raw transactions of 1,000 rows.
 *  2. concurrent - 32 async callers each appending one event at a time to its own stream (group
 *                  commit), vs raw autocommit: one row per transaction, one fsync per row.
 *
 * Every measurement uses a new database file in a new folder under os.tmpdir(). Baseline and store
 * runs are interleaved (B S, S B, B S, ...) and the median of the repetitions is reported.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type ExpectedRevision, type NewEvent } from '@ihl/event-store';
// Deliberately the store's own schema file, so the baseline table can never drift from it.
import { SQLITE_SCHEMA } from '../libs/event-store/src/sqlite/sqlite-schema';
import {
  type BenchmarkSuite,
  type WorkloadResult,
  freshDir,
  maybeGc,
  measurement,
  median,
  percentile,
  seededRandom,
} from './harness';

const QUICK = process.env['BENCH_QUICK'] === '1';

const BATCHED = {
  totalEvents: QUICK ? 10_000 : 100_000,
  eventsPerAppend: 1_000,
  streams: 10,
  warmupEvents: QUICK ? 2_000 : 10_000,
  // Cheap (~4 s a pair) and disk-bound, hence noisy: five pairs for a steadier median.
  reps: 5,
  goal: 0.6,
};

const CONCURRENT = {
  callers: 32,
  totalEvents: QUICK ? 3_200 : 20_000,
  warmupEvents: QUICK ? 640 : 1_600,
  // The autocommit baseline takes 4-12 s per repetition here (0.2-0.6 ms per fsync, idle vs busy disk).
  reps: 3,
  goal: 1.0,
};

const INSERT_SQL =
  'insert into events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?)';

// ---------------------------------------------------------------------------------------------
// Realistic, deterministic payloads (~480 bytes of JSON per event); only the event ids are random.

const MUNICIPALITIES = ['Visaginas', 'Ignalina', 'Zarasai', 'Utena', 'Molėtai', 'Anykščiai', 'Rokiškis'];
const ACTIVITIES = ['IP-HOME-NURSING', 'IP-HOME-CARE', 'IP-DAY-CARE', 'IP-SOCIAL-WORK', 'IP-TRANSPORT', 'IP-RESPITE'];
const ROLES = ['partner-submitter', 'case-worker', 'nurse'];
const NOTES = [
  'Visit completed as planned; participant in stable condition.',
  'Medication reviewed with family member present.',
  'Short visit: participant hospitalised the next day, follow-up booked.',
  'Joint visit with social worker; care plan updated.',
  'Transport to the polyclinic and back, waited 40 minutes.',
];

function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

function seededUuid(rng: () => number): string {
  let h = '';
  for (let i = 0; i < 32; i++) h += Math.floor(rng() * 16).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function serviceDelivered(rng: () => number): NewEvent {
  const partnerId = `partner-${String(1 + Math.floor(rng() * 24)).padStart(2, '0')}`;
  const day = 1 + Math.floor(rng() * 28);
  const month = 1 + Math.floor(rng() * 12);
  const deliveredOn = `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const minutes = 15 * (1 + Math.floor(rng() * 12));
  return {
    eventId: randomUUID(),
    type: 'ServiceDelivered',
    schemaVersion: 2,
    data: {
      participantId: seededUuid(rng),
      partnerId,
      activityCode: pick(rng, ACTIVITIES),
      deliveredOn,
      durationMinutes: minutes,
      municipality: pick(rng, MUNICIPALITIES),
      costCents: minutes * (120 + Math.floor(rng() * 80)),
      indicator: rng() < 0.5 ? 'EECO02' : 'EECR03',
      note: pick(rng, NOTES),
    },
    metadata: {
      actor: {
        subject: `user-${1 + Math.floor(rng() * 500)}`,
        role: pick(rng, ROLES),
        partnerId,
      },
      correlationId: seededUuid(rng),
      recordedAt: `${deliveredOn}T${String(8 + Math.floor(rng() * 10)).padStart(2, '0')}:15:00.000Z`,
      source: 'api',
    },
  };
}

function makeEvents(count: number, seed: number): NewEvent[] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, () => serviceDelivered(rng));
}

function avgPayloadBytes(events: readonly NewEvent[]): number {
  const sample = events.slice(0, 1000);
  const bytes = sample.reduce(
    (n, e) => n + Buffer.byteLength(JSON.stringify(e.data)) + Buffer.byteLength(JSON.stringify(e.metadata ?? {})),
    0,
  );
  return Math.round(bytes / sample.length);
}

// ---------------------------------------------------------------------------------------------
// Raw better-sqlite3 baseline: same schema, same pragmas, same columns and JSON strings.

function openRaw(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SQLITE_SCHEMA);
  if (db.pragma('journal_mode', { simple: true }) !== 'wal' || db.pragma('synchronous', { simple: true }) !== 2) {
    throw new Error('baseline is not running with WAL + synchronous=FULL');
  }
  return db;
}

function countEvents(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function expectCount(file: string, expected: number, what: string): void {
  const n = countEvents(file);
  if (n !== expected) throw new Error(`${what}: expected ${expected} events on disk, found ${n}`);
}

interface Run {
  readonly ms: number;
  readonly rate: number;
  /** Process CPU time (user + system) spent in the timed region. */
  readonly cpuMs: number;
}

/** Starts a wall-clock and CPU-time stopwatch; calling the result stops it. */
function stopwatch(): (events: number) => Run {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return (events) => {
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      ms,
      rate: (events / ms) * 1000,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };
}

// ---------------------------------------------------------------------------------------------
// 1. Batched appends

interface PlannedAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  /** Revision of the append's first event. */
  readonly firstRevision: number;
  readonly events: readonly NewEvent[];
}

function planBatched(total: number, perAppend: number, streams: number, seed: number): PlannedAppend[] {
  const events = makeEvents(total, seed);
  const next = new Array<number>(streams).fill(0);
  const plan: PlannedAppend[] = [];
  for (let k = 0; k * perAppend < total; k++) {
    const s = k % streams;
    const slice = events.slice(k * perAppend, (k + 1) * perAppend);
    const first = next[s]!;
    plan.push({
      streamId: `participant-batch-${s}`,
      expected: first === 0 ? 'no_stream' : first - 1,
      firstRevision: first,
      events: slice,
    });
    next[s] = first + slice.length;
  }
  return plan;
}

function batchedRaw(plan: readonly PlannedAppend[], total: number): Run {
  const tmp = freshDir('ihl-bench-raw-');
  try {
    const file = tmp.file('events.sqlite');
    const db = openRaw(file);
    const insert = db.prepare(INSERT_SQL);
    const writeBatch = db.transaction((a: PlannedAppend) => {
      const recordedAt = new Date().toISOString();
      let revision = a.firstRevision;
      for (const ev of a.events) {
        insert.run(
          a.streamId,
          revision++,
          ev.eventId,
          ev.type,
          ev.schemaVersion ?? 1,
          JSON.stringify(ev.data),
          JSON.stringify(ev.metadata ?? {}),
          recordedAt,
        );
      }
    });
    maybeGc();
    const stop = stopwatch();
    for (const a of plan) writeBatch(a);
    const r = stop(total);
    db.close();
    expectCount(file, total, 'batched/raw');
    return r;
  } finally {
    tmp.dispose();
  }
}

async function batchedStore(plan: readonly PlannedAppend[], total: number): Promise<Run & { commits: number }> {
  const tmp = freshDir('ihl-bench-store-');
  try {
    const file = tmp.file('events.sqlite');
    const store = new SqliteEventStore({ file });
    maybeGc();
    const stop = stopwatch();
    for (const a of plan) {
      const res = await store.append(a.streamId, a.events, a.expected);
      if (res.revision !== a.firstRevision + a.events.length - 1) throw new Error('batched/store: unexpected revision');
    }
    const r = stop(total);
    const stats = store.stats();
    await store.close();
    if (stats.events !== total)
      throw new Error(`batched/store: stats report ${stats.events} events, expected ${total}`);
    expectCount(file, total, 'batched/store');
    return { ...r, commits: stats.commits };
  } finally {
    tmp.dispose();
  }
}

async function batchedWorkload(log: (line: string) => void): Promise<WorkloadResult> {
  const { totalEvents, eventsPerAppend, streams, warmupEvents, reps, goal } = BATCHED;
  log(`  warm-up (${warmupEvents.toLocaleString('en-US')} events each)`);
  const warm = planBatched(warmupEvents, eventsPerAppend, streams, 999);
  batchedRaw(warm, warmupEvents);
  await batchedStore(warm, warmupEvents);

  const raw: Run[] = [];
  const store: (Run & { commits: number })[] = [];
  let payload = 0;
  for (let rep = 0; rep < reps; rep++) {
    const plan = planBatched(totalEvents, eventsPerAppend, streams, 1000 + rep);
    payload = avgPayloadBytes(plan[0]!.events);
    const doRaw = () => {
      const r = batchedRaw(plan, totalEvents);
      raw.push(r);
      log(`  rep ${rep + 1} raw  : ${describe(r, totalEvents)}`);
    };
    const doStore = async () => {
      const r = await batchedStore(plan, totalEvents);
      store.push(r);
      log(`  rep ${rep + 1} store: ${describe(r, totalEvents)}, ${r.commits} commits`);
    };
    if (rep % 2 === 0) {
      doRaw();
      await doStore();
    } else {
      await doStore();
      doRaw();
    }
  }
  return result({
    id: 'batched-appends',
    title: `Batched: ${fmtCount(totalEvents)} events, appends of ${fmtCount(eventsPerAppend)} (${streams} streams)`,
    baselineLabel: `raw: txns of ${fmtCount(eventsPerAppend)} rows`,
    raw,
    store,
    goal,
    details: {
      totalEvents,
      eventsPerAppend,
      streams,
      avgPayloadBytes: payload,
      rawCommits: Math.ceil(totalEvents / eventsPerAppend),
      storeCommitsMedian: median(store.map((r) => r.commits)),
      ...cpuDetails(raw, store, totalEvents),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Concurrent single-event appends (group commit) vs one row per transaction

function planConcurrent(total: number, callers: number, seed: number): NewEvent[][] {
  const events = makeEvents(total, seed);
  // Event i belongs to caller i % callers: the raw baseline writes them in that round-robin order.
  const perCaller: NewEvent[][] = Array.from({ length: callers }, () => []);
  events.forEach((e, i) => perCaller[i % callers]!.push(e));
  return perCaller;
}

const callerStream = (c: number) => `participant-concurrent-${c}`;

/**
 * The same rows in the same round-robin order, `groupRows` rows per transaction: 1 is autocommit
 * (one WAL commit + fsync per row); `callers` is one row of every caller per transaction, the group
 * size the store's group commit reaches with that many callers.
 */
function concurrentRaw(plan: readonly NewEvent[][], total: number, groupRows: number): Run {
  const tmp = freshDir('ihl-bench-raw-');
  try {
    const file = tmp.file('events.sqlite');
    const db = openRaw(file);
    const insert = db.prepare(INSERT_SQL);
    const rows: { streamId: string; revision: number; ev: NewEvent }[] = [];
    const rounds = Math.max(...plan.map((p) => p.length));
    for (let i = 0; i < rounds; i++)
      plan.forEach((events, c) => {
        const ev = events[i];
        if (ev) rows.push({ streamId: callerStream(c), revision: i, ev });
      });
    const insertGroup = (group: typeof rows) => {
      const recordedAt = new Date().toISOString();
      for (const { streamId, revision, ev } of group)
        insert.run(
          streamId,
          revision,
          ev.eventId,
          ev.type,
          ev.schemaVersion ?? 1,
          JSON.stringify(ev.data),
          JSON.stringify(ev.metadata ?? {}),
          recordedAt,
        );
    };
    const inTransaction = db.transaction(insertGroup);
    maybeGc();
    const stop = stopwatch();
    for (let k = 0; k < rows.length; k += groupRows) {
      const group = rows.slice(k, k + groupRows);
      if (groupRows === 1) insertGroup(group);
      else inTransaction(group);
    }
    const r = stop(total);
    db.close();
    expectCount(file, total, `concurrent/raw (${groupRows} rows per transaction)`);
    return r;
  } finally {
    tmp.dispose();
  }
}

interface ConcurrentStoreRun extends Run {
  readonly commits: number;
  readonly appends: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function concurrentStore(plan: readonly NewEvent[][], total: number): Promise<ConcurrentStoreRun> {
  const tmp = freshDir('ihl-bench-store-');
  try {
    const file = tmp.file('events.sqlite');
    const store = new SqliteEventStore({ file });
    const latencies = new Float64Array(total);
    let done = 0;
    const caller = async (c: number) => {
      let expected: ExpectedRevision = 'no_stream';
      for (const ev of plan[c]!) {
        const t = performance.now();
        const r = await store.append(callerStream(c), [ev], expected);
        latencies[done++] = performance.now() - t;
        expected = r.revision;
      }
    };
    maybeGc();
    const stop = stopwatch();
    await Promise.all(plan.map((_, c) => caller(c)));
    const r = stop(total);
    const stats = store.stats();
    await store.close();
    if (stats.events !== total)
      throw new Error(`concurrent/store: stats report ${stats.events} events, expected ${total}`);
    expectCount(file, total, 'concurrent/store');
    const sorted = Array.from(latencies).sort((a, b) => a - b);
    return {
      ...r,
      commits: stats.commits,
      appends: stats.appends,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
    };
  } finally {
    tmp.dispose();
  }
}

async function concurrentWorkload(log: (line: string) => void): Promise<WorkloadResult> {
  const { callers, totalEvents, warmupEvents, reps, goal } = CONCURRENT;
  log(`  warm-up (${warmupEvents.toLocaleString('en-US')} events each)`);
  const warm = planConcurrent(warmupEvents, callers, 999);
  concurrentRaw(warm, warmupEvents, 1);
  concurrentRaw(warm, warmupEvents, callers);
  await concurrentStore(warm, warmupEvents);

  const raw: Run[] = [];
  const grouped: Run[] = [];
  const store: ConcurrentStoreRun[] = [];
  let payload = 0;
  for (let rep = 0; rep < reps; rep++) {
    const plan = planConcurrent(totalEvents, callers, 2000 + rep);
    payload = avgPayloadBytes(plan.flat());
    const sides = [
      async () => {
        const r = concurrentRaw(plan, totalEvents, 1);
        raw.push(r);
        log(
          `  rep ${rep + 1} raw 1/txn : ${describe(r, totalEvents)}, ${((r.ms / totalEvents) * 1000).toFixed(0)} µs/commit`,
        );
      },
      async () => {
        const r = concurrentRaw(plan, totalEvents, callers);
        grouped.push(r);
        log(
          `  rep ${rep + 1} raw ${callers}/txn: ${describe(r, totalEvents)}, ${((r.ms / totalEvents) * callers).toFixed(2)} ms/commit`,
        );
      },
      async () => {
        const r = await concurrentStore(plan, totalEvents);
        store.push(r);
        log(
          `  rep ${rep + 1} store     : ${describe(r, totalEvents)}, ${r.commits} commits, ` +
            `${(r.appends / r.commits).toFixed(1)} appends/commit, latency p50 ${r.p50Ms.toFixed(2)} ms p99 ${r.p99Ms.toFixed(2)} ms`,
        );
      },
    ];
    // Rotate the order every repetition so that drift hits the three sides alike.
    for (let k = 0; k < sides.length; k++) await sides[(k + rep) % sides.length]!();
  }
  const rawMedian = median(raw.map((r) => r.rate));
  const groupedMedian = median(grouped.map((r) => r.rate));
  const runs = store;
  const storeMedian = median(store.map((r) => r.rate));
  return {
    ...result({
      id: 'concurrent-single-appends',
      title: `Concurrent: ${callers} callers x 1-event appends, ${fmtCount(totalEvents)} events`,
      baselineLabel: 'raw: 1 row per txn (autocommit)',
      raw,
      store,
      goal,
      details: {
        totalEvents,
        callers,
        avgPayloadBytes: payload,
        rawMsPerCommit: round(1000 / rawMedian, 3),
        rawGroupedMsPerCommit: round((1000 / groupedMedian) * callers, 3),
        storeCommitsMedian: median(runs.map((r) => r.commits)),
        storeAppendsPerCommit: round(median(runs.map((r) => r.appends / r.commits)), 2),
        storeMsPerCommit: round(median(runs.map((r) => r.ms / r.commits)), 3),
        storeAppendLatencyP50Ms: round(median(runs.map((r) => r.p50Ms)), 3),
        storeAppendLatencyP99Ms: round(median(runs.map((r) => r.p99Ms)), 3),
        ...cpuDetails(raw, store, totalEvents),
        rawGroupedCpuUsPerEvent: round(median(grouped.map((r) => (r.cpuMs / totalEvents) * 1000)), 1),
      },
    }),
    otherBaselines: [
      {
        baseline: measurement(
          `raw: ${callers} rows per txn (the store's group size)`,
          grouped.map((r) => r.rate),
        ),
        ratio: storeMedian / groupedMedian,
        pairRatios: store.map((s, i) => round(s.rate / grouped[i]!.rate, 3)),
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------

function describe(r: Run, events: number): string {
  return `${fmt(r.rate)} events/s (${r.ms.toFixed(0)} ms wall, ${((r.cpuMs / events) * 1000).toFixed(1)} µs CPU/event)`;
}

/** CPU time per event, to tell CPU overhead apart from waiting on the disk. */
function cpuDetails(raw: readonly Run[], store: readonly Run[], events: number): Record<string, number> {
  const perEvent = (runs: readonly Run[]) => round(median(runs.map((r) => (r.cpuMs / events) * 1000)), 1);
  return {
    rawCpuUsPerEvent: perEvent(raw),
    storeCpuUsPerEvent: perEvent(store),
  };
}

function result(r: {
  id: string;
  title: string;
  baselineLabel: string;
  raw: readonly Run[];
  store: readonly Run[];
  goal: number;
  details: Record<string, number | string>;
}): WorkloadResult {
  const baseline = measurement(
    r.baselineLabel,
    r.raw.map((x) => x.rate),
  );
  const subject = measurement(
    'SqliteEventStore.append',
    r.store.map((x) => x.rate),
  );
  const ratio = subject.median / baseline.median;
  return {
    id: r.id,
    title: r.title,
    unit: 'events/s',
    baseline,
    subject,
    ratio,
    pairRatios: r.store.map((s, i) => round(s.rate / r.raw[i]!.rate, 3)),
    goal: { minRatio: r.goal },
    pass: ratio >= r.goal,
    details: r.details,
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const fmtCount = (x: number) => x.toLocaleString('en-US');

export const eventStoreBenchmarks: BenchmarkSuite = {
  name: 'event-store (SqliteEventStore vs raw better-sqlite3)',
  async run(log) {
    log(`1. batched appends${QUICK ? ' (BENCH_QUICK)' : ''}`);
    const batched = await batchedWorkload(log);
    log(`2. concurrent single-event appends${QUICK ? ' (BENCH_QUICK)' : ''}`);
    const concurrent = await concurrentWorkload(log);
    return [batched, concurrent];
  },
};
