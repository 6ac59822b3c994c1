/**
 * The ledger on a large log: a log of 1,000,000+ events written through the CommandBus (60
 * partners, ~5,000 persons, 2023-2026; cached under bench/results/cache/), then
 *
 *  a. rebuild: a ProjectionRunner with the ledger's projections from position 0 into a fresh
 *     read-model file, against raw better-sqlite3 reading the same rows and parsing their JSON;
 *     both in child processes (one per measurement), interleaved; and, to tell the runner's share
 *     from the projections', the same runner with one projection that does nothing;
 *  b. memory: the rebuild child's RSS when the 100,000th and the 1,000,000th event are handed over;
 *  c. bulk and batching: the rebuild over the first 100,000 events batch by batch (as a catch-up
 *     from a checkpoint runs) and with one transaction per event, against the bulk replay's time to
 *     its 100,000th event;
 *  d. queries: progress and budget through the QueryBus (GetProgressQuery, GetBudgetQuery with an
 *     agency actor), on the rebuilt read models, p50/p99 after a warm-up.
 *
 * BENCH_QUICK=1: a 20,000-event log (12 partners, 100 persons), everything else the same.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import {
  GetActivityVolumesQuery,
  GetBudgetQuery,
  GetProgressQuery,
  type Actor,
  type BudgetView,
  type ProgressView,
} from '@ihl/application';
import { SqliteEventStore } from '@ihl/event-store';
import { LedgerCoreModule } from '@ihl/runtime';
import {
  type BenchmarkSuite,
  type GoalCheck,
  type WorkloadResult,
  fmtRate,
  freshDir,
  measurement,
  percentile,
} from './harness';
import { cachedLedgerLog } from './ledger-log.cache';
import { BENCH_PRIVACY, type LogSpec } from './ledger-log.generator';
import type { ChildResult } from './ledger-rebuild.child';

const QUICK = process.env['BENCH_QUICK'] === '1';

const SPEC: LogSpec = QUICK
  ? { seed: 42, targetEvents: 20_000, partners: 12, persons: 100 }
  : { seed: 42, targetEvents: 1_000_000, partners: 60, persons: 5_000 };

const CONFIG = {
  /** RSS sample points, the curve: every tenth of the log (100k, 200k, ... 1M at full size). */
  rssPoints: Array.from({ length: 10 }, (_, i) => ((i + 1) * SPEC.targetEvents) / 10),
  /** Interleaved raw/rebuild pairs (~20 s each): with three, one disturbed sample cannot move a median. */
  pairs: QUICK ? 1 : 3,
  batchSize: 1000,
  unbatchedEvents: SPEC.targetEvents / 10,
  /** The diagnostic rebuild's V8 old-generation cap (MiB): a few times the rebuild's live heap. */
  cappedOldSpaceMiB: 96,
  query: { warmup: QUICK ? 5 : 20, iterations: QUICK ? 50 : 300, maxSecondsEach: QUICK ? 5 : 90 },
  goals: { rebuildVsRaw: 0.5, rssGrowth: 1.25, p99Ms: 10 },
};

const AGENCY: Actor = { subject: 'bench-auditor', role: 'agency-auditor' };
const CHILD = join(__dirname, 'ledger-rebuild.child.ts');
const MiB = 2 ** 20;

function runChild(args: readonly string[], nodeArgs: readonly string[] = []): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', CHILD, ...args], {
      cwd: join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${CHILD} ${args[0]} exited with ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult);
    });
  });
}

const rate = (r: ChildResult) => r.events / r.seconds;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;

interface Latency {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

async function time<T>(
  run: () => Promise<T>,
  warmup: number,
  iterations: number,
  maxSeconds: number,
): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await run();
  const ms: number[] = [];
  const deadline = performance.now() + maxSeconds * 1000;
  while (ms.length < iterations && (ms.length < 20 || performance.now() < deadline)) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms[ms.length - 1]! };
}

/** Progress and budget as the API asks for them, on the rebuilt read models. */
async function queryLatencies(
  eventsFile: string,
  dataDir: string,
  code: string,
  log: (line: string) => void,
): Promise<{ progress: Latency; budget: Latency; volumes: Latency; reached: number; reconciled: boolean }> {
  const store = new SqliteEventStore({ file: eventsFile });
  const app = await NestFactory.createApplicationContext(
    LedgerCoreModule.forRoot({
      dataDir,
      eventStore: store,
      // The last day of the project: forecasts and curves as at the deadline.
      clock: { now: () => new Date('2026-12-31T12:00:00Z') },
      readModels: true,
      privacy: BENCH_PRIVACY,
    }),
    { logger: false },
  );
  try {
    const bus = app.get(QueryBus);
    const { warmup, iterations, maxSecondsEach } = CONFIG.query;
    const first = await bus.execute<GetProgressQuery, ProgressView>(
      new GetProgressQuery({ projectCode: code, actor: AGENCY }),
    );
    const budgetView = await bus.execute<GetBudgetQuery, BudgetView>(
      new GetBudgetQuery({ projectCode: code, actor: AGENCY }),
    );
    log(`  progress: ${first.personsReached} persons reached at position ${first.position}`);
    const progress = await time(
      () => bus.execute(new GetProgressQuery({ projectCode: code, actor: AGENCY })),
      warmup,
      iterations,
      maxSecondsEach,
    );
    log(
      `  GetProgressQuery  p50 ${progress.p50.toFixed(2)} ms, p99 ${progress.p99.toFixed(2)} ms (${progress.n} runs)`,
    );
    const budget = await time(
      () => bus.execute(new GetBudgetQuery({ projectCode: code, actor: AGENCY })),
      warmup,
      iterations,
      maxSecondsEach,
    );
    log(`  GetBudgetQuery    p50 ${budget.p50.toFixed(2)} ms, p99 ${budget.p99.toFixed(2)} ms (${budget.n} runs)`);
    const volumes = await time(
      () => bus.execute(new GetActivityVolumesQuery({ projectCode: code, actor: AGENCY })),
      Math.min(warmup, 3),
      Math.min(iterations, 50),
      Math.min(maxSecondsEach, 30),
    );
    log(
      `  GetActivityVolumesQuery (no goal) p50 ${volumes.p50.toFixed(2)} ms, p99 ${volumes.p99.toFixed(2)} ms (${volumes.n} runs)`,
    );
    return {
      progress,
      budget,
      volumes,
      reached: first.personsReached,
      reconciled: budgetView.reconciliation.ok,
    };
  } finally {
    await app.close();
    await store.close();
  }
}

async function ledgerWorkload(log: (line: string) => void): Promise<WorkloadResult> {
  const cached = await cachedLedgerLog(SPEC, log);
  const { eventsFile, summary } = cached;
  const points = CONFIG.rssPoints.join(',');
  const work = freshDir('ihl-bench-ledger-');
  try {
    // Untimed: brings the events file into the page cache for both sides alike.
    await runChild(['raw', eventsFile]);
    const raws: ChildResult[] = [];
    const rebuilds: ChildResult[] = [];
    let readModels = '';
    for (let i = 0; i < CONFIG.pairs; i++) {
      readModels = work.file(`read-models-${i}.sqlite`);
      const rebuildArgs = ['rebuild', eventsFile, readModels, cached.dir, String(CONFIG.batchSize), 'all', points];
      const order = i % 2 === 0 ? (['raw', 'rebuild'] as const) : (['rebuild', 'raw'] as const);
      for (const side of order) {
        const r = side === 'rebuild' ? await runChild(rebuildArgs) : await runChild([side, eventsFile, points]);
        (side === 'raw' ? raws : rebuilds).push(r);
        log(
          `  ${side.padEnd(7)} ${fmtRate(rate(r))} events/s (${r.events.toLocaleString('en-US')} events in ${r.seconds.toFixed(1)} s, CPU ${r.cpuSeconds.toFixed(1)} s, RSS sampled peak ${mib(r.peakRssBytes)}, OS high-water mark ${mib(r.maxRssBytes)})`,
        );
        if (side === 'rebuild' && r.reached !== summary.events)
          throw new Error(`the rebuild reached position ${r.reached}, the log has ${summary.events} events`);
      }
    }
    const noop = await runChild([
      'rebuild',
      eventsFile,
      work.file('read-models-noop.sqlite'),
      cached.dir,
      String(CONFIG.batchSize),
      'all',
      '',
      'noop',
    ]);
    log(`  runner with a no-op projection: ${fmtRate(rate(noop))} events/s (CPU ${noop.cpuSeconds.toFixed(1)} s)`);
    // Diagnostic: the same rebuild with V8's old generation capped, so garbage is collected
    // instead of left for later: what the rebuild really keeps, against the default heap's slack.
    const capped = await runChild(
      [
        'rebuild',
        eventsFile,
        work.file('read-models-capped.sqlite'),
        cached.dir,
        String(CONFIG.batchSize),
        'all',
        points,
      ],
      [`--max-old-space-size=${CONFIG.cappedOldSpaceMiB}`],
    );
    const cappedAt = (n: number) => capped.samples.find((x) => x.events === n)?.rssBytes ?? Number.NaN;
    log(
      `  rebuild with --max-old-space-size=${CONFIG.cappedOldSpaceMiB}: ${fmtRate(rate(capped))} events/s, RSS ${mib(cappedAt(CONFIG.rssPoints[0]!))} at ${CONFIG.rssPoints[0]!.toLocaleString('en-US')} / ${mib(cappedAt(CONFIG.rssPoints.at(-1)!))} at ${CONFIG.rssPoints.at(-1)!.toLocaleString('en-US')} events`,
    );
    const firstEvents = (name: string, batch: number) =>
      runChild([
        'rebuild',
        eventsFile,
        work.file(`read-models-${name}.sqlite`),
        cached.dir,
        String(batch),
        String(CONFIG.unbatchedEvents),
        '',
        'nobulk',
      ]);
    const batched = await firstEvents('batched', CONFIG.batchSize);
    log(
      `  rebuild batch by batch (not in bulk), first ${batched.events.toLocaleString('en-US')} events: ${fmtRate(rate(batched))} events/s`,
    );
    const unbatched = await firstEvents('unbatched', 1);
    log(
      `  rebuild with one transaction per event, first ${unbatched.events.toLocaleString('en-US')} events: ${fmtRate(rate(unbatched))} events/s`,
    );

    // Queries on the last rebuilt read models, with the person keys of the log.
    copyFileSync(readModels, work.file('read-models.sqlite'));
    copyFileSync(join(cached.dir, 'person-keys.sqlite'), work.file('person-keys.sqlite'));
    const q = await queryLatencies(eventsFile, work.dir, '07-003-P-0001', log);

    const baseline = measurement('raw: read + JSON.parse', raws.map(rate));
    const subject = measurement(`rebuild, batches of ${CONFIG.batchSize}`, rebuilds.map(rate));
    const ratio = subject.median / baseline.median;
    const small = CONFIG.rssPoints[0]!;
    const large = CONFIG.rssPoints[CONFIG.rssPoints.length - 1]!;
    const rssAt = (r: ChildResult, n: number) => r.samples.find((s) => s.events === n)?.rssBytes ?? Number.NaN;
    const rssSmall = Math.max(...rebuilds.map((r) => rssAt(r, small)));
    const rssLarge = Math.max(...rebuilds.map((r) => rssAt(r, large)));
    const batchedFirst = rebuilds.map((r) => small / (r.samples.find((s) => s.events === small)?.seconds ?? NaN));
    const k = (n: number) => (n >= 1_000_000 ? `${(n / 1e6).toFixed(2)}M` : `${Math.round(n / 1000)}k`);
    // The true peak: the OS's high-water mark of each rebuild process, not the sampled points.
    const rssPeak = Math.max(...rebuilds.map((r) => r.maxRssBytes));
    const checks: GoalCheck[] = [
      {
        title: `rebuild peak RSS (OS high-water mark, whole run) / RSS at ${k(small)} events (streams: flat)`,
        measured: `${mib(rssPeak)} / ${mib(rssSmall)} = ${(rssPeak / rssSmall).toFixed(2)}x`,
        goal: `<= ${CONFIG.goals.rssGrowth}x`,
        pass: rssPeak / rssSmall <= CONFIG.goals.rssGrowth,
      },
      {
        title: `rebuild RSS at ${k(large)} / at ${k(small)} events (two samples)`,
        measured: `${mib(rssLarge)} / ${mib(rssSmall)} = ${(rssLarge / rssSmall).toFixed(2)}x`,
        goal: `<= ${CONFIG.goals.rssGrowth}x`,
        pass: rssLarge / rssSmall <= CONFIG.goals.rssGrowth,
      },
      ...(['progress', 'budget'] as const).map((name) => ({
        title: `${name === 'progress' ? 'GetProgressQuery' : 'GetBudgetQuery'} p99 at ${k(summary.events)} events`,
        measured: `p50 ${q[name].p50.toFixed(2)} ms, p99 ${q[name].p99.toFixed(2)} ms (${q[name].n} runs)`,
        goal: `p99 <= ${CONFIG.goals.p99Ms} ms`,
        pass: q[name].p99 <= CONFIG.goals.p99Ms,
      })),
    ];
    const cpuPerEvent = (rs: ChildResult[]) =>
      `${((rs.reduce((a, r) => a + r.cpuSeconds / r.events, 0) / rs.length) * 1e6).toFixed(1)} µs`;
    return {
      id: 'ledger-rebuild',
      title: `Rebuild of ${summary.events.toLocaleString('en-US')} events (${rebuilds[0]!.projections?.length ?? '?'} projections)`,
      unit: 'events/s',
      baseline,
      subject,
      ratio,
      pairRatios: rebuilds.map((r, i) => Math.round((rate(r) / rate(raws[i]!)) * 100) / 100),
      goal: { minRatio: CONFIG.goals.rebuildVsRaw },
      pass: ratio >= CONFIG.goals.rebuildVsRaw,
      details: {
        projections: rebuilds[0]!.projections?.join(' ') ?? '?',
        log: `${summary.events} events, ${summary.partners} partners, ${summary.persons} persons, seed ${summary.seed}, ${(statSync(eventsFile).size / MiB).toFixed(0)} MiB, generated in ${summary.seconds} s${cached.reused ? ' (cached)' : ''}`,
        cpuPerEventRawVsRebuild: `${cpuPerEvent(raws)} / ${cpuPerEvent(rebuilds)}`,
        noopRunnerEventsPerSecond: fmtRate(rate(noop)),
        noopRunnerVsRaw: `${(rate(noop) / baseline.median).toFixed(2)}x`,
        rssRawPeak: mib(Math.max(...raws.map((r) => r.peakRssBytes))),
        rssRebuildAtSmall: mib(rssSmall),
        rssRebuildAtLarge: mib(rssLarge),
        rssRebuildSampledPeak: mib(Math.max(...rebuilds.map((r) => r.peakRssBytes))),
        rssRebuildMaxRss: mib(rssPeak),
        // The highest RSS at each tenth of the log over the rebuilds: the shape of the curve.
        rssRebuildCurve: CONFIG.rssPoints
          .map((n) => `${k(n)} ${(Math.max(...rebuilds.map((r) => rssAt(r, n))) / MiB).toFixed(0)}`)
          .join(', '),
        rssRawMaxRss: mib(Math.max(...raws.map((r) => r.maxRssBytes))),
        rssCappedHeapMaxRss: mib(capped.maxRssBytes),
        rssCappedHeapAtSmallAndLarge: `${mib(cappedAt(small))} / ${mib(cappedAt(large))} = ${(cappedAt(large) / cappedAt(small)).toFixed(2)}x`,
        cappedHeapEventsPerSecond: fmtRate(rate(capped)),
        bulkFirstEventsPerSecond: batchedFirst.map((x) => fmtRate(x)).join(' / '),
        batchedFirstEventsPerSecond: fmtRate(rate(batched)),
        unbatchedFirstEventsPerSecond: fmtRate(rate(unbatched)),
        bulkGainOnFirstEvents: `${(Math.max(...batchedFirst) / rate(batched)).toFixed(1)}x`,
        batchingGainOnFirstEvents: `${(rate(batched) / rate(unbatched)).toFixed(1)}x`,
        progressP50P99Ms: `${q.progress.p50.toFixed(2)} / ${q.progress.p99.toFixed(2)}`,
        budgetP50P99Ms: `${q.budget.p50.toFixed(2)} / ${q.budget.p99.toFixed(2)}`,
        volumesP50P99Ms: `${q.volumes.p50.toFixed(2)} / ${q.volumes.p99.toFixed(2)}`,
        personsReached: q.reached,
        budgetReconciled: String(q.reconciled),
      },
      checks,
    };
  } finally {
    work.dispose();
  }
}

export const ledgerBenchmarks: BenchmarkSuite = {
  name: 'ledger (rebuild, memory and queries on a large log)',
  async run(log) {
    log(`large-log rebuild and queries${QUICK ? ' (BENCH_QUICK)' : ''}`);
    return [await ledgerWorkload(log)];
  },
};
