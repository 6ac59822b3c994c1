/**
 * The cost of the tamper-evidence hash chain (docs/tamper-evidence.md): the store with its chain
 * against the same store writing the same events without it (`hashChain: false`), interleaved in the
 * same process and run; then the replay a rebuild does over a chained file against a chain-free one,
 * and `ledger verify`'s walk, reported per million events.
 */
import {
  GENESIS_HASH,
  SqliteEventStore,
  chainHash,
  verifyEventLog,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
} from '@ihl/event-store';
import {
  callerStream,
  describe,
  fmtCount,
  makeEvents,
  planBatched,
  planConcurrent,
  round,
  stopwatch,
  type Run,
} from './append-workloads';
import type { EventRow } from '../libs/event-store/src/sqlite/event-row.mapping';
import { rowChainHash } from '../libs/event-store/src/sqlite/row-chain-hash';
import { type BenchmarkSuite, type WorkloadResult, freshDir, maybeGc, measurement, median } from './harness';

const QUICK = process.env['BENCH_QUICK'] === '1';
const SIZES = {
  batched: QUICK ? 20_000 : 100_000,
  concurrent: QUICK ? 3_200 : 20_000,
  replay: QUICK ? 50_000 : 300_000,
  reps: QUICK ? 3 : 5,
};
const GOAL = 0.9;

export type Side = 'chained' | 'chain-free';

async function withStore<T>(side: Side, work: (store: SqliteEventStore, file: string) => Promise<T>): Promise<T> {
  const tmp = freshDir('ihl-bench-chain-');
  try {
    const file = tmp.file('events.sqlite');
    const store = new SqliteEventStore({ file, hashChain: side === 'chained' });
    try {
      return await work(store, file);
    } finally {
      await store.close();
    }
  } finally {
    tmp.dispose();
  }
}

async function batched(side: Side, seed: number): Promise<Run> {
  const plan = planBatched(SIZES.batched, 1_000, 10, seed);
  return withStore(side, async (store) => {
    maybeGc();
    const stop = stopwatch();
    for (const a of plan) await store.append(a.streamId, a.events, a.expected);
    return stop(SIZES.batched);
  });
}

async function concurrent(side: Side, seed: number): Promise<Run> {
  const plan = planConcurrent(SIZES.concurrent, 32, seed);
  return withStore(side, (store) => timedPerCaller(store, plan, SIZES.concurrent));
}

/** Each caller appends its events one at a time to its own stream with the revision it got back; timed. */
export async function timedPerCaller(store: EventStore, plan: readonly NewEvent[][], total: number): Promise<Run> {
  const caller = async (c: number, events: readonly NewEvent[]) => {
    let expected: ExpectedRevision = 'no_stream';
    for (const ev of events) expected = (await store.append(callerStream(c), [ev], expected)).revision;
  };
  maybeGc();
  const stop = stopwatch();
  await Promise.all(plan.map((events, c) => caller(c, events)));
  return stop(total);
}

/** Writes the replay log, then reads it all back in pages as a rebuild's catch-up does; verifies it when chained. */
async function replay(
  side: Side,
  seed: number,
): Promise<Run & { verifyMsPerMillion?: number; verifyCpuMsPerMillion?: number }> {
  const plan = planBatched(SIZES.replay, 1_000, 10, seed);
  return withStore(side, async (store, file) => {
    for (const a of plan) await store.append(a.streamId, a.events, a.expected);
    maybeGc();
    const stop = stopwatch();
    let seen = 0;
    for (let after = 0; ;) {
      const page = await store.readAll({ after, maxCount: 10_000 });
      if (page.length === 0) break;
      seen += page.length;
      after = page[page.length - 1]!.position;
    }
    const r = stop(seen);
    if (seen !== SIZES.replay) throw new Error(`replay read ${seen} events, expected ${SIZES.replay}`);
    if (side === 'chain-free') return r;
    const t = performance.now();
    const cpu = process.cpuUsage();
    const v = verifyEventLog(file);
    const used = process.cpuUsage(cpu);
    if (!v.ok || v.events !== SIZES.replay)
      throw new Error(`verify failed on the bench log: ${JSON.stringify(v.fault)}`);
    return {
      ...r,
      verifyMsPerMillion: ((performance.now() - t) / SIZES.replay) * 1e6,
      verifyCpuMsPerMillion: ((used.user + used.system) / 1000 / SIZES.replay) * 1e6,
    };
  });
}

/** Runs one workload on both sides, interleaved, and reports chained against chain-free (also for EventStoreDB). */
export async function compare(
  id: string,
  title: string,
  run: (side: Side, seed: number) => Promise<Run & { verifyMsPerMillion?: number; verifyCpuMsPerMillion?: number }>,
  log: (line: string) => void,
): Promise<WorkloadResult> {
  const chained: (Run & { verifyMsPerMillion?: number; verifyCpuMsPerMillion?: number })[] = [];
  const free: Run[] = [];
  for (let rep = 0; rep < SIZES.reps; rep++) {
    const order: Side[] = rep % 2 === 0 ? ['chain-free', 'chained'] : ['chained', 'chain-free'];
    for (const side of order) {
      const r = await run(side, 3000 + rep);
      (side === 'chained' ? chained : free).push(r);
      log(`  rep ${rep + 1} ${side.padEnd(10)}: ${describe(r, Math.round((r.rate * r.ms) / 1000))}`);
    }
  }
  const subject = measurement(
    'store with the hash chain',
    chained.map((r) => r.rate),
  );
  const baseline = measurement(
    'the same store, chain-free',
    free.map((r) => r.rate),
  );
  const ratio = subject.median / baseline.median;
  const verify = chained.map((r) => r.verifyMsPerMillion).filter((x): x is number => x !== undefined);
  const verifyCpu = chained.map((r) => r.verifyCpuMsPerMillion).filter((x): x is number => x !== undefined);
  // CPU per event tells the chain's own cost apart from waiting on a shared disk and a busy host.
  const cpuPerEvent = (r: Run) => r.cpuMs / r.rate / r.ms;
  const cpuPerKilo = (runs: readonly Run[]) => round(median(runs.map((r) => cpuPerEvent(r) * 1e6)), 3);
  // A pair's two runs are back to back, so they share about the same host load: the geometric mean
  // of the pairs' CPU ratios is less moved by one run on a busy moment than the medians' ratio.
  const cpuLogRatios = chained.map((r, i) => Math.log(cpuPerEvent(r) / cpuPerEvent(free[i]!)));
  return {
    id,
    title,
    unit: 'events/s',
    baseline,
    subject,
    ratio,
    pairRatios: chained.map((r, i) => r.rate / free[i]!.rate),
    goal: { minRatio: GOAL },
    pass: ratio >= GOAL,
    details: {
      cpuMsPerKiloEventChained: cpuPerKilo(chained),
      cpuMsPerKiloEventChainFree: cpuPerKilo(free),
      cpuRatioPairsGeomean: round(Math.exp(cpuLogRatios.reduce((a, b) => a + b, 0) / cpuLogRatios.length), 3),
      ...(verify.length > 0 ? { verifySecondsPerMillionEvents: round(median(verify) / 1000, 2) } : {}),
      ...(verifyCpu.length > 0 ? { verifyCpuSecondsPerMillionEvents: round(median(verifyCpu) / 1000, 2) } : {}),
    },
  };
}

/**
 * The chain step alone over rows as the writer builds them, in CPU µs per event: what the chain must
 * cost an append at least, whatever the host's load does to the pairs above. Format 2 is what the
 * writer hashes; format 1 (`chainHash` of the row's JSON text) is what rows written before it carry.
 */
export function chainStepCpuUs(format: 1 | 2 = 2): number {
  const rows = makeEvents(1_000, 1).map((ev, i): EventRow => [
    i + 1,
    `participant-batch-${i % 10}`,
    i,
    ev.eventId,
    ev.type,
    ev.schemaVersion ?? 1,
    JSON.stringify(ev.data),
    JSON.stringify(ev.metadata ?? {}),
    new Date(0).toISOString(),
  ]);
  const step = format === 2 ? rowChainHash : chainHash;
  const calls = QUICK ? 100_000 : 300_000;
  let prev = GENESIS_HASH;
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) prev = step(prev, rows[i % rows.length]!);
  const used = process.cpuUsage(cpu);
  return round((used.user + used.system) / calls, 2);
}

export const hashChainBenchmarks: BenchmarkSuite = {
  name: 'hash-chain (store with the chain vs chain-free)',
  async run(log) {
    const quick = QUICK ? ' (BENCH_QUICK)' : '';
    // Uncounted: the suite's first run pays the JIT's warm-up (up to ~1.5x the CPU per event), and
    // it was always a chain-free one, which made the first pair favour the chained side.
    for (const side of ['chain-free', 'chained'] as const) await batched(side, 2999);
    log(`1. batched appends, chained vs chain-free${quick}`);
    const a = await compare(
      'chain-batched',
      `Batched: ${fmtCount(SIZES.batched)} events, appends of 1,000`,
      batched,
      log,
    );
    log(`2. concurrent single appends, chained vs chain-free${quick}`);
    const b = await compare(
      'chain-concurrent',
      `Concurrent: ${fmtCount(SIZES.concurrent)} single appends, 32 callers`,
      concurrent,
      log,
    );
    log(`3. replay (a rebuild's reads) and ledger verify${quick}`);
    const c = await compare(
      'chain-replay',
      `Replay of ${fmtCount(SIZES.replay)} events in pages of 10,000`,
      replay,
      log,
    );
    const step = chainStepCpuUs(2);
    const stepFormat1 = chainStepCpuUs(1);
    log(`4. the chain step alone: ${step} µs CPU per event (format 1, older rows': ${stepFormat1} µs)`);
    const stepDetails = { chainStepCpuUsPerEvent: step, chainStepFormat1CpuUsPerEvent: stepFormat1 };
    return [{ ...a, details: { ...a.details, ...stepDetails } }, b, c];
  },
};
