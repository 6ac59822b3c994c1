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
import {
  type ConcurrentStoreRun,
  type Run,
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
