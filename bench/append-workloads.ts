/**
 * The append workloads shared by the event-store, large-log and Emmett suites: realistic
 * ServiceDelivered events, the plans that spread them over streams and callers, and each
 * measurement (raw better-sqlite3 or SqliteEventStore) writing them into a target file, a fresh one
 * or a copy of an existing log, with the clock around the writes only and a count check after.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type ExpectedRevision, type NewEvent } from '@ihl/event-store';
// Deliberately the store's own schema file, so the baseline table can never drift from it.
import { SQLITE_SCHEMA } from '../libs/event-store/src/sqlite/sqlite-schema';
import { freshDir, maybeGc, percentile, seededRandom } from './harness';

/** Where a measurement writes: `prepare` fills the (not yet existing) file and returns its event count. */
export interface Target {
  readonly label: string;
  prepare(file: string): number;
}

export const FRESH_FILE: Target = { label: 'fresh file', prepare: () => 0 };

export const INSERT_SQL =
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

export function serviceDelivered(rng: () => number): NewEvent {
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

export function makeEvents(count: number, seed: number): NewEvent[] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, () => serviceDelivered(rng));
}

export function avgPayloadBytes(events: readonly NewEvent[]): number {
  const sample = events.slice(0, 1000);
  const bytes = sample.reduce(
    (n, e) => n + Buffer.byteLength(JSON.stringify(e.data)) + Buffer.byteLength(JSON.stringify(e.metadata ?? {})),
    0,
  );
  return Math.round(bytes / sample.length);
}

// ---------------------------------------------------------------------------------------------
// Raw better-sqlite3 baseline: same schema, same pragmas, same columns and JSON strings.

export function openRaw(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SQLITE_SCHEMA);
  if (db.pragma('journal_mode', { simple: true }) !== 'wal' || db.pragma('synchronous', { simple: true }) !== 2) {
    throw new Error('baseline is not running with WAL + synchronous=FULL');
  }
  return db;
}

export function countEvents(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export function expectCount(file: string, expected: number, what: string): void {
  const n = countEvents(file);
  if (n !== expected) throw new Error(`${what}: expected ${expected} events on disk, found ${n}`);
}

export interface Run {
  readonly ms: number;
  readonly rate: number;
  /** Process CPU time (user + system) spent in the timed region. */
  readonly cpuMs: number;
}

/** Starts a wall-clock and CPU-time stopwatch; calling the result stops it. */
export function stopwatch(): (events: number) => Run {
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

export interface PlannedAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  /** Revision of the append's first event. */
  readonly firstRevision: number;
  readonly events: readonly NewEvent[];
}

export function planBatched(total: number, perAppend: number, streams: number, seed: number): PlannedAppend[] {
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

export function batchedRaw(plan: readonly PlannedAppend[], total: number, target: Target = FRESH_FILE): Run {
  const tmp = freshDir('ihl-bench-raw-');
  try {
    const file = tmp.file('events.sqlite');
    const base = target.prepare(file);
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
    expectCount(file, base + total, 'batched/raw');
    return r;
  } finally {
    tmp.dispose();
  }
}

export async function batchedStore(
  plan: readonly PlannedAppend[],
  total: number,
  target: Target = FRESH_FILE,
): Promise<Run & { commits: number }> {
  const tmp = freshDir('ihl-bench-store-');
  try {
    const file = tmp.file('events.sqlite');
    const base = target.prepare(file);
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
    expectCount(file, base + total, 'batched/store');
    return { ...r, commits: stats.commits };
  } finally {
    tmp.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Concurrent single-event appends (group commit) vs one row per transaction

export function planConcurrent(total: number, callers: number, seed: number): NewEvent[][] {
  const events = makeEvents(total, seed);
  // Event i belongs to caller i % callers: the raw baseline writes them in that round-robin order.
  const perCaller: NewEvent[][] = Array.from({ length: callers }, () => []);
  events.forEach((e, i) => perCaller[i % callers]!.push(e));
  return perCaller;
}

export const callerStream = (c: number) => `participant-concurrent-${c}`;

/**
 * The same rows in the same round-robin order, `groupRows` rows per transaction: 1 is autocommit
 * (one WAL commit + fsync per row); `callers` is one row of every caller per transaction, the group
 * size the store's group commit reaches with that many callers.
 */
export function concurrentRaw(
  plan: readonly NewEvent[][],
  total: number,
  groupRows: number,
  target: Target = FRESH_FILE,
): Run {
  const tmp = freshDir('ihl-bench-raw-');
  try {
    const file = tmp.file('events.sqlite');
    const base = target.prepare(file);
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
    expectCount(file, base + total, `concurrent/raw (${groupRows} rows per transaction)`);
    return r;
  } finally {
    tmp.dispose();
  }
}

export interface ConcurrentStoreRun extends Run {
  readonly commits: number;
  readonly appends: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function concurrentStore(
  plan: readonly NewEvent[][],
  total: number,
  target: Target = FRESH_FILE,
): Promise<ConcurrentStoreRun> {
  const tmp = freshDir('ihl-bench-store-');
  try {
    const file = tmp.file('events.sqlite');
    const base = target.prepare(file);
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
    expectCount(file, base + total, 'concurrent/store');
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

export function describe(r: Run, events: number): string {
  return `${fmt(r.rate)} events/s (${r.ms.toFixed(0)} ms wall, ${((r.cpuMs / events) * 1000).toFixed(1)} µs CPU/event)`;
}

export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
export const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
export const fmtCount = (x: number) => x.toLocaleString('en-US');
