/**
 * Runs every benchmark suite, prints a table and writes bench/results/latest.json.
 *
 *   npx tsx bench/run.ts                 # full run (~1-2 minutes)
 *   BENCH_QUICK=1 npx tsx bench/run.ts   # smoke run with small sizes
 *   BENCH_ONLY=ledger npx tsx bench/run.ts   # only the suites whose name contains "ledger"
 *
 * Benchmarks report; they never fail the process because a goal was missed.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { asOfBenchmarks } from './as-of.bench';
import { auditBenchmarks } from './audit-pages.bench';
import { emmettBenchmarks } from './emmett.bench';
import { eventStoreBenchmarks } from './event-store.bench';
import { type BenchmarkSuite, type WorkloadResult, fmtRate } from './harness';
import { hashChainBenchmarks } from './hash-chain.bench';
import { esdbHashChainBenchmarks } from './esdb-hash-chain.bench';
import { httpWriteBenchmarks } from './http-write.bench';
import { largeLogBenchmarks } from './large-log.bench';
import { importBenchmarks } from './import.bench';
import { ledgerBenchmarks } from './ledger.bench';
import { webOverviewBenchmarks } from './web-overview.bench';

const ALL_SUITES: readonly BenchmarkSuite[] = [
  eventStoreBenchmarks,
  largeLogBenchmarks,
  emmettBenchmarks,
  ledgerBenchmarks,
  httpWriteBenchmarks,
  auditBenchmarks,
  importBenchmarks,
  asOfBenchmarks,
  webOverviewBenchmarks,
  hashChainBenchmarks,
  esdbHashChainBenchmarks,
];
// BENCH_ONLY=ledger runs the suites whose name contains "ledger".
const ONLY = process.env['BENCH_ONLY'];
const SUITES = ONLY ? ALL_SUITES.filter((s) => s.name.includes(ONLY)) : ALL_SUITES;

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'libs', 'bench'], { encoding: 'utf8' }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

function environment() {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    sqlite: sqliteVersion(),
    platform: `${platform()} ${release()} ${arch()}`,
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    tmpdir: tmpdir(),
    /** 1-minute load average at the start: other work on the machine skews every number. */
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    quick: process.env['BENCH_QUICK'] === '1',
  };
}

function table(results: readonly WorkloadResult[]): string {
  const header = ['workload', 'baseline', 'baseline events/s', 'ours events/s', 'ours/baseline', 'goal', 'result'];
  const rows = results.flatMap((r) => [
    [
      r.title,
      r.baseline.label,
      fmtRate(r.baseline.median),
      fmtRate(r.subject.median),
      `${r.ratio.toFixed(2)}x`,
      `>= ${r.goal.minRatio.toFixed(1)}`,
      r.pass ? 'PASS' : 'FAIL',
    ],
    // Same subject samples against another baseline of the same run: shown, not judged.
    ...(r.otherBaselines ?? []).map((o) => [
      '  (same, other baseline)',
      o.baseline.label,
      fmtRate(o.baseline.median),
      fmtRate(r.subject.median),
      `${o.ratio.toFixed(2)}x`,
      'no goal',
      '-',
    ]),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const env = environment();
  const log = (line: string) => console.log(line);
  log(`bench: ${env.date}  node ${env.node}  sqlite ${env.sqlite}  ${env.cores} x ${env.cpu}  commit ${env.commit}`);
  if (env.loadAverage1m > env.cores / 2) {
    log(`WARNING: 1-minute load average is ${env.loadAverage1m} on ${env.cores} cores; results will be noisy.`);
  }
  const started = performance.now();
  const suites: { name: string; results: WorkloadResult[] }[] = [];
  for (const suite of SUITES) {
    log(`\n== ${suite.name}`);
    suites.push({ name: suite.name, results: await suite.run(log) });
  }
  const seconds = (performance.now() - started) / 1000;

  for (const s of suites) {
    log(`\n${s.name} — medians of interleaved baseline/store repetitions\n`);
    log(table(s.results));
    for (const r of s.results) {
      const details = Object.entries(r.details)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      log(
        `\n  ${r.id}: ratio ${r.ratio.toFixed(2)} → ${r.pass ? 'PASS' : 'FAIL'} (goal >= ${r.goal.minRatio}; ${r.pairRatios.length} pairs, per-pair ratios ${r.pairRatios.join(', ')})`,
      );
      for (const o of r.otherBaselines ?? [])
        log(`    vs ${o.baseline.label}: ratio ${o.ratio.toFixed(2)} (per-pair ${o.pairRatios.join(', ')})`);
      log(`    ${details}`);
      for (const c of r.checks ?? [])
        log(`    ${c.pass ? 'PASS' : 'FAIL'}  ${c.title}: ${c.measured} (goal ${c.goal})`);
    }
  }
  const loadAtEnd = Math.round(loadavg()[0]! * 100) / 100;
  log(`\ntotal ${seconds.toFixed(1)} s; 1-minute load average ${env.loadAverage1m} at start, ${loadAtEnd} at end`);

  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  writeFileSync(
    file,
    `${JSON.stringify({ environment: { ...env, loadAverage1mAtEnd: loadAtEnd }, durationSeconds: Math.round(seconds * 10) / 10, suites }, null, 2)}\n`,
  );
  log(`wrote ${file}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
