/**
 * The overview in chromium: from navigation to the chart drawn (`.chart[data-rendered="true"]`),
 * signed in as the demo auditor, each load in a fresh browser context (nothing cached), on a
 * scale-1 simulation (`ledger simulate`, cached under bench/results/cache) and on the bench's large
 * log (as bench/as-of.bench.ts opens it); and the largest script bundle's size. The API runs in its
 * own process (bench/web-overview.child.ts) and rebuilds its read models from 0 first (untimed).
 * See bench/README.md, section "Web overview".
 *
 * BENCH_QUICK=1: a scale-0.05 simulation and the 20,000-event log, fewer loads.
 * BENCH_WEB_LARGE=0 leaves out the large log (its read models' rebuild takes 15–30 min on a busy
 * host); BENCH_WEB_UNCOMPRESSED=0 leaves out the simulation's uncompressed round.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { parseProjectDefinition } from '@ihl/domain';
import { SIMULATOR_VERSION, planSimulation, runSimulation } from '@ihl/simulation';
import { WITHOUT_OMNIBOX_POPUP, launchChromium } from '../test/support/browser';
import { freshDir, measurement, percentile, type BenchmarkSuite, type GoalCheck, type WorkloadResult } from './harness';
import { CACHE_DIR, cachedLedgerLog } from './ledger-log.cache';
import { BENCH_PRIVACY, PROJECT_FILE, type LogSpec } from './ledger-log.generator';

const QUICK = process.env['BENCH_QUICK'] === '1';
const SCALE = QUICK ? 0.05 : 1;
/** A fixed last day, so the cached simulation is reused from one day to the next. */
const UNTIL = '2026-11-30';
const LOG: LogSpec = QUICK
  ? { seed: 42, targetEvents: 20_000, partners: 12, persons: 100 }
  : { seed: 42, targetEvents: 1_000_000, partners: 60, persons: 5_000 };
/** Cold page loads per ledger. */
const N = QUICK ? 8 : 25;
const GOALS = { simulationMs: 1000, largeLogMs: 2000 };
const WITH_LARGE = process.env['BENCH_WEB_LARGE'] !== '0';
const WITH_UNCOMPRESSED = process.env['BENCH_WEB_UNCOMPRESSED'] !== '0';
const load = () => loadavg()[0]!.toFixed(1);

/**
 * Chromium as the browser tests launch it: without the omnibox popup's WebUI page (see
 * test/support/browser.ts). BENCH_WEB_OMNIBOX=1 keeps it.
 */
export function launchBenchChromium(): Promise<Browser> {
  return launchChromium(process.env['BENCH_WEB_OMNIBOX'] === '1' ? [] : [WITHOUT_OMNIBOX_POPUP]);
}

/** The scale-1 simulation, written once through the application's commands and kept. */
async function cachedSimulation(log: (line: string) => void): Promise<{ dir: string; events: number }> {
  const dir = join(CACHE_DIR, `simulation-v${SIMULATOR_VERSION}-scale${SCALE}-seed1-until${UNTIL}`);
  const meta = join(dir, 'simulation.json');
  if (!existsSync(meta)) {
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const definition = parseProjectDefinition(JSON.parse(readFileSync(PROJECT_FILE, 'utf8')));
    log(`  simulating scale ${SCALE} until ${UNTIL} into ${partial}`);
    const summary = await runSimulation(
      planSimulation(definition, { scale: SCALE, seed: 1, until: UNTIL }),
      { dataDir: partial, privacy: BENCH_PRIVACY },
      () => undefined,
    );
    writeFileSync(join(partial, 'simulation.json'), JSON.stringify(summary));
    renameSync(partial, dir);
  }
  const events = (JSON.parse(readFileSync(meta, 'utf8')) as { events: number }).events;
  log(`  the simulation ${dir} (${events.toLocaleString('en-US')} events)`);
  return { dir, events };
}

/**
 * The web app as `npm run build` makes it (with its precompressed copies), and the same without
 * them (`plainDir`: the api then sends every script as it is), for the before/after of compression.
 */
function buildWeb(): {
  dir: string;
  plainDir: string;
  bundle: { name: string; bytes: number; gzip: number; brotli: number };
} {
  const root = freshDir('ihl-bench-web-').dir;
  const dir = join(root, 'web');
  execFileSync(process.execPath, [join(__dirname, '../scripts/build-web.mjs'), dir], { stdio: 'pipe' });
  const plainDir = join(root, 'web-plain');
  cpSync(dir, plainDir, { recursive: true, filter: (f) => !/\.(br|gz)$/.test(f) });
  // The entry's script and the chunks split off (chunks/): the largest of them all.
  const scripts = readdirSync(join(dir, 'assets'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.js'),
  );
  const largest = scripts.sort(
    (a, b) => statSync(join(dir, 'assets', b)).size - statSync(join(dir, 'assets', a)).size,
  )[0]!;
  const bytes = readFileSync(join(dir, 'assets', largest));
  return {
    dir,
    plainDir,
    bundle: {
      name: largest,
      bytes: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes).length,
    },
  };
}

function startApi(dir: string, clock: string, webDir: string): Promise<{ child: ChildProcess; base: string }> {
  const child = fork(join(__dirname, 'web-overview.child.ts'), [dir, clock, webDir], {
    execArgv: ['--require', join(__dirname, '../test/support/register-ts.cjs')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the API process exited (${code}) before listening`)));
    child.once('message', (m) => resolve({ child, ...(m as { base: string }) }));
  });
}

/** N loads of the overview, each in a new context holding only the session cookie: ms to the chart. */
async function overviewLoads(browser: Browser, base: string): Promise<number[]> {
  const signIn = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await signIn.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByRole('button', { name: /agentūros auditorius/ }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.locator('.chart[data-rendered="true"]').waitFor({ timeout: 120_000 });
  const cookies = await signIn.cookies();
  await signIn.close();
  const ms: number[] = [];
  for (let i = 0; i < N; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addCookies(cookies);
    const p = await context.newPage();
    const t = performance.now();
    await p.goto(`${base}/`, { waitUntil: 'commit' });
    await p.locator('.chart[data-rendered="true"]').waitFor({ timeout: 120_000 });
    ms.push(performance.now() - t);
    await context.close();
  }
  return ms.sort((a, b) => a - b);
}

async function measureOn(
  browser: Browser,
  name: string,
  dataDir: string,
  clock: string,
  webDir: string,
  log: (line: string) => void,
): Promise<number[]> {
  const work = freshDir('ihl-bench-web-data-');
  for (const f of ['events.sqlite', 'person-keys.sqlite'])
    if (existsSync(join(dataDir, f))) copyFileSync(join(dataDir, f), work.file(f));
  const t = performance.now();
  const api = await startApi(work.dir, clock, webDir);
  try {
    while ((await fetch(`${api.base}/health/ready`)).status !== 200) await new Promise((r) => setTimeout(r, 500));
    log(`  ${name}: API ready in ${((performance.now() - t) / 1000).toFixed(1)} s (read models rebuilt from 0)`);
    const before = load();
    const ms = await overviewLoads(browser, api.base);
    log(
      `  ${name}: overview to chart p50 ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms` +
        ` (1-minute load average ${before} before, ${load()} after)`,
    );
    return ms;
  } finally {
    await new Promise<void>((resolve) => {
      api.child.once('exit', () => resolve());
      api.child.send('close');
    });
    work.dispose();
  }
}

async function webOverviewWorkload(log: (line: string) => void): Promise<WorkloadResult> {
  const web = buildWeb();
  const b = web.bundle;
  log(`  largest script ${b.name}: ${b.bytes} B, gzip ${b.gzip} B, brotli ${b.brotli} B`);
  const simulation = await cachedSimulation(log);
  const large = WITH_LARGE ? await cachedLedgerLog(LOG, log) : undefined;
  const browser = await launchBenchChromium();
  try {
    const simClock = '2026-12-01T10:00:00Z';
    const plain = WITH_UNCOMPRESSED
      ? await measureOn(browser, `scale ${SCALE}, uncompressed`, simulation.dir, simClock, web.plainDir, log)
      : undefined;
    const sim = await measureOn(browser, `scale ${SCALE}`, simulation.dir, simClock, web.dir, log);
    const bigClock = '2027-01-25T10:00:00Z';
    const big =
      large && (await measureOn(browser, `${large.summary.events} events`, large.dir, bigClock, web.dir, log));
    return result({ sim, plain, simEvents: simulation.events, big, bigEvents: large?.summary.events, bundle: b });
  } finally {
    await browser.close();
  }
}

function result(r: {
  sim: number[];
  plain: number[] | undefined;
  simEvents: number;
  big: number[] | undefined;
  bigEvents: number | undefined;
  bundle: { bytes: number; gzip: number; brotli: number };
}): WorkloadResult {
  const p = (ms: number[], q: number) => percentile(ms, q);
  const line = (ms: number[] | undefined) =>
    ms ? `p50 ${p(ms, 50).toFixed(0)} ms, p99 ${p(ms, 99).toFixed(0)} ms` : 'not run';
  const checks: GoalCheck[] = [
    {
      title: `web: overview to chart, scale-${SCALE} simulation (${r.simEvents.toLocaleString('en-US')} events)`,
      measured: line(r.sim),
      goal: `p99 <= ${GOALS.simulationMs} ms`,
      pass: p(r.sim, 99) <= GOALS.simulationMs,
    },
    {
      title: `web: overview to chart, ${r.bigEvents?.toLocaleString('en-US') ?? 'large'}-event log`,
      measured: line(r.big),
      goal: `p99 <= ${GOALS.largeLogMs} ms`,
      // Not run (BENCH_WEB_LARGE=0) is not a pass.
      pass: r.big !== undefined && p(r.big, 99) <= GOALS.largeLogMs,
    },
    {
      title: 'web: the same, scripts sent uncompressed (before precompression; reported, no goal)',
      measured: line(r.plain),
      goal: '—',
      pass: true,
    },
    {
      title: 'web: largest script bundle (reported, no goal)',
      measured: `${(r.bundle.bytes / 1024).toFixed(0)} KiB, gzip ${(r.bundle.gzip / 1024).toFixed(0)} KiB, brotli ${(r.bundle.brotli / 1024).toFixed(0)} KiB`,
      goal: '—',
      pass: true,
    },
  ];
  // The rate is loads per second at p50, against the goal's (one load per goal time).
  const subject = measurement(`overview loads/s at p50, scale ${SCALE}`, [1000 / p(r.sim, 50)]);
  const baseline = measurement(`goal: ${GOALS.simulationMs} ms per load`, [1000 / GOALS.simulationMs]);
  return {
    id: 'web-overview',
    title: 'The overview in chromium, navigation to chart rendered (goals in the checks)',
    unit: 'loads/s',
    baseline,
    subject,
    ratio: subject.median / baseline.median,
    pairRatios: [],
    goal: { minRatio: 1 },
    pass: checks.every((c) => c.pass),
    details: {
      [`scale ${SCALE} p50 / p99`]: line(r.sim),
      [`scale ${SCALE} uncompressed p50 / p99`]: line(r.plain),
      [`${r.bigEvents ?? 'large log'} events p50 / p99`]: line(r.big),
      'bundle bytes': r.bundle.bytes,
      'bundle gzip bytes': r.bundle.gzip,
      'bundle brotli bytes': r.bundle.brotli,
    },
    checks,
  };
}

export const webOverviewBenchmarks: BenchmarkSuite = {
  name: 'web',
  run: async (log) => [await webOverviewWorkload(log)],
};
