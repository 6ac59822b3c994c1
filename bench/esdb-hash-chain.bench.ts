/**
 * The cost of the per-stream hash chain on EventStoreDB (docs/tamper-evidence.md#eventstoredb): the
 * adapter with its chain against the same adapter without it (`hashChain: false`), interleaved, each
 * run on a fresh gRPC stand-in (test/esdb-stand-in) on 127.0.0.1; and `ledger verify`'s walk per
 * million events. The stand-in is no server: the ratios show the adapter's own cost (the extra tail
 * read per append over real gRPC, the hashing), not a real server's.
 */
import { EsdbEventStore } from '@ihl/event-store';
import { startEsdbStandIn } from '../test/esdb-stand-in/esdb-stand-in.server';
import { fmtCount, planBatched, planConcurrent, stopwatch, type Run } from './append-workloads';
import { maybeGc, type BenchmarkSuite } from './harness';
import { compare, timedPerCaller, type Side } from './hash-chain.bench';

const QUICK = process.env['BENCH_QUICK'] === '1';
const SIZES = { batched: QUICK ? 2_000 : 10_000, concurrent: QUICK ? 640 : 3_200 };

async function withStore<T>(side: Side, work: (store: EsdbEventStore) => Promise<T>): Promise<T> {
  const standIn = await startEsdbStandIn();
  const store = new EsdbEventStore({ connectionString: standIn.connectionString, hashChain: side === 'chained' });
  try {
    return await work(store);
  } finally {
    await store.close();
    await standIn.close();
  }
}

/** Appends of 100 events to 10 streams with exact revisions; the chained log is then verified. */
async function batched(side: Side, seed: number): Promise<Run & { verifyMsPerMillion?: number }> {
  const plan = planBatched(SIZES.batched, 100, 10, seed);
  return withStore(side, async (store) => {
    maybeGc();
    const stop = stopwatch();
    for (const a of plan) await store.append(a.streamId, a.events, a.expected);
    const r = stop(SIZES.batched);
    if (side === 'chain-free') return r;
    const t = performance.now();
    const v = await store.verifyChain();
    if (!v.ok || v.events !== SIZES.batched)
      throw new Error(`verify failed on the bench log: ${JSON.stringify(v.fault)}`);
    return { ...r, verifyMsPerMillion: ((performance.now() - t) / SIZES.batched) * 1e6 };
  });
}

/** Single appends by 16 callers, each on its own stream with the revision it got back (the api's pattern). */
async function concurrent(side: Side, seed: number): Promise<Run> {
  const plan = planConcurrent(SIZES.concurrent, 16, seed);
  return withStore(side, (store) => timedPerCaller(store, plan, SIZES.concurrent));
}

export const esdbHashChainBenchmarks: BenchmarkSuite = {
  name: 'esdb-chain (EventStoreDB adapter with the chain vs chain-free, gRPC stand-in)',
  async run(log) {
    const quick = QUICK ? ' (BENCH_QUICK)' : '';
    log(`1. batched appends and ledger verify, chained vs chain-free${quick}`);
    const a = await compare(
      'esdb-chain-batched',
      `EventStoreDB batched: ${fmtCount(SIZES.batched)} events, appends of 100`,
      batched,
      log,
    );
    log(`2. concurrent single appends, chained vs chain-free${quick}`);
    const b = await compare(
      'esdb-chain-concurrent',
      `EventStoreDB concurrent: ${fmtCount(SIZES.concurrent)} single appends, 16 callers`,
      concurrent,
      log,
    );
    return [a, b];
  },
};
