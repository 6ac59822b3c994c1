/**
 * Appends into a large existing log: the event-store suite's two workloads written into a copy of
 * the ledger suite's cached 1M-event log (about 1 GB), by SqliteEventStore and by raw better-sqlite3
 * with the same grouping, and by SqliteEventStore into a fresh file, in the same run.
 *
 *  1. batched    - appends of 1,000 events to 10 new streams vs raw transactions of 1,000 rows.
 *  2. concurrent - 32 callers x 1-event appends (group commit) vs raw transactions of 32 rows.
 *
 * Every measurement writes into its own copy (the cached log itself is never opened for writing),
 * fsynced before the clock starts so the copy's write-back does not land inside the measurement.
 * The sides are interleaved, their order rotating every repetition.
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, statSync } from 'node:fs';
import {
  type Run,
  type Target,
  FRESH_FILE,
  avgPayloadBytes,
  batchedRaw,
  batchedStore,
  concurrentRaw,
  concurrentStore,
  describe,
  fmtCount,
  planBatched,
  planConcurrent,
  round,
} from './append-workloads';
import { type BenchmarkSuite, type WorkloadResult, measurement, median } from './harness';
import { cachedLedgerLog } from './ledger-log.cache';
import type { LogSpec } from './ledger-log.generator';

const QUICK = process.env['BENCH_QUICK'] === '1';

// The ledger suite's log (the same cache folder): 1,017,758 events, 1.02 GB at full size.
const SPEC: LogSpec = QUICK
  ? { seed: 42, targetEvents: 20_000, partners: 12, persons: 100 }
  : { seed: 42, targetEvents: 1_000_000, partners: 60, persons: 5_000 };

const CONFIG = {
  batched: { totalEvents: QUICK ? 10_000 : 100_000, eventsPerAppend: 1_000, streams: 10 },
  concurrent: { callers: 32, totalEvents: QUICK ? 3_200 : 20_000 },
  reps: 3,
  // Both sides group the rows alike here (1,000 or 32 per transaction): the batched workload's goal.
  goal: 0.6,
};

const MiB = 2 ** 20;

/** A target that copies `source` (never written to) and fsyncs the copy; its event count is read once. */
function copyOf(source: string, expectedEvents: number): Target {
  const wal = `${source}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0)
    throw new Error(`${wal} is not empty: a copy of ${source} alone would miss its last commits`);
  let events: number | null = null;
  return {
    label: `copy of the ${(statSync(source).size / MiB).toFixed(0)} MiB log`,
    prepare(file) {
      copyFileSync(source, file);
      const fd = openSync(file, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (events === null) {
        const db = new Database(file, { readonly: true });
        try {
          events = (db.prepare('select count(*) as n from events').get() as { n: number }).n;
        } finally {
          db.close();
        }
        if (events !== expectedEvents)
          throw new Error(`the copy of ${source} holds ${events} events, its summary says ${expectedEvents}`);
      }
      return events;
    },
  };
}

type Side = { readonly name: string; readonly runs: Run[]; readonly measure: () => Promise<Run> | Run };

async function interleave(sides: readonly Side[], rep: number, events: number, log: (line: string) => void) {
  for (let k = 0; k < sides.length; k++) {
    const side = sides[(k + rep) % sides.length]!;
    const r = await side.measure();
    side.runs.push(r);
    log(`  rep ${rep + 1} ${side.name.padEnd(18)}: ${describe(r, events)}`);
  }
}

function toResult(
  id: string,
  title: string,
  [raw, large, fresh]: readonly [Side, Side, Side],
  events: number,
  details: Record<string, number | string>,
): WorkloadResult {
  const cpuPerEvent = (s: Side) => round((median(s.runs.map((r) => r.cpuMs)) / events) * 1000, 1);
  const rate = (s: Side) => s.runs.map((r) => r.rate);
  const baseline = measurement(raw.name, rate(raw));
  const subject = measurement(large.name, rate(large));
  const other = measurement(fresh.name, rate(fresh));
  const ratio = subject.median / baseline.median;
  return {
    id,
    title,
    unit: 'events/s',
    baseline,
    subject,
    ratio,
    pairRatios: large.runs.map((r, i) => round(r.rate / raw.runs[i]!.rate, 3)),
    goal: { minRatio: CONFIG.goal },
    pass: ratio >= CONFIG.goal,
    details: {
      events,
      ...details,
      cpuUsPerEventRawLargeStoreLargeStoreFresh: [raw, large, fresh].map(cpuPerEvent).join(' / '),
    },
    otherBaselines: [
      {
        baseline: other,
        ratio: subject.median / other.median,
        pairRatios: large.runs.map((r, i) => round(r.rate / fresh.runs[i]!.rate, 3)),
      },
    ],
  };
}

async function batchedWorkload(large: Target, log: (line: string) => void): Promise<WorkloadResult> {
  const { totalEvents, eventsPerAppend, streams } = CONFIG.batched;
  let plan = planBatched(totalEvents, eventsPerAppend, streams, 1000);
  const sides: [Side, Side, Side] = [
    {
      name: `raw into the ${large.label}: txns of ${fmtCount(eventsPerAppend)} rows`,
      runs: [],
      measure: () => batchedRaw(plan, totalEvents, large),
    },
    { name: `store into the ${large.label}`, runs: [], measure: () => batchedStore(plan, totalEvents, large) },
    { name: 'store into a fresh file', runs: [], measure: () => batchedStore(plan, totalEvents, FRESH_FILE) },
  ];
  for (let rep = 0; rep < CONFIG.reps; rep++) {
    plan = planBatched(totalEvents, eventsPerAppend, streams, 1000 + rep);
    await interleave(sides, rep, totalEvents, log);
  }
  return toResult(
    'large-log-batched-appends',
    `Batched into a large log: ${fmtCount(totalEvents)} events, appends of ${fmtCount(eventsPerAppend)} (${streams} streams)`,
    sides,
    totalEvents,
    { avgPayloadBytes: avgPayloadBytes(plan[0]!.events) },
  );
}

async function concurrentWorkload(large: Target, log: (line: string) => void): Promise<WorkloadResult> {
  const { callers, totalEvents } = CONFIG.concurrent;
  let plan = planConcurrent(totalEvents, callers, 2000);
  const sides: [Side, Side, Side] = [
    {
      name: `raw into the ${large.label}: txns of ${callers} rows`,
      runs: [],
      measure: () => concurrentRaw(plan, totalEvents, callers, large),
    },
    { name: `store into the ${large.label}`, runs: [], measure: () => concurrentStore(plan, totalEvents, large) },
    { name: 'store into a fresh file', runs: [], measure: () => concurrentStore(plan, totalEvents, FRESH_FILE) },
  ];
  for (let rep = 0; rep < CONFIG.reps; rep++) {
    plan = planConcurrent(totalEvents, callers, 2000 + rep);
    await interleave(sides, rep, totalEvents, log);
  }
  return toResult(
    'large-log-concurrent-single-appends',
    `Concurrent into a large log: ${callers} callers x 1-event appends, ${fmtCount(totalEvents)} events`,
    sides,
    totalEvents,
    { callers },
  );
}

export const largeLogBenchmarks: BenchmarkSuite = {
  name: 'large-log (appends into a copy of the 1M-event log)',
  async run(log) {
    const cached = await cachedLedgerLog(SPEC, log);
    const large = copyOf(cached.eventsFile, cached.summary.events);
    log(`  each measurement appends into its own ${large.label} (${fmtCount(cached.summary.events)} events)`);
    log('  warm-up (fresh files, untimed)');
    const warmBatched = planBatched(10_000, 1_000, 10, 999);
    batchedRaw(warmBatched, 10_000);
    await batchedStore(warmBatched, 10_000);
    const warmConcurrent = planConcurrent(1_600, 32, 999);
    concurrentRaw(warmConcurrent, 1_600, 32);
    await concurrentStore(warmConcurrent, 1_600);
    log(`1. batched appends${QUICK ? ' (BENCH_QUICK)' : ''}`);
    const batched = await batchedWorkload(large, log);
    log(`2. concurrent single-event appends${QUICK ? ' (BENCH_QUICK)' : ''}`);
    const concurrent = await concurrentWorkload(large, log);
    return [batched, concurrent];
  },
};
