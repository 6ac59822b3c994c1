/**
 * Before/after of the overview's cold load, interleaved: one API process per built web app (the
 * same scale-1 simulation copied for each, read models rebuilt from 0 first, untimed), then N rounds
 * of one cold load of each, in turn, so that the host's load falls on every build alike. Per load:
 * the wall time from `page.goto` to `.chart[data-rendered="true"]` (the bench's measure), the CPU
 * time of the page's renderer process (steadier than wall time on a shared host) and where the
 * time went (the moments the HTML, the scripts and the API's answers arrived, the chart drawn).
 * See bench/README.md, section "Web overview".
 *
 *   node --require ./test/support/register-ts.cjs bench/web-overview.compare.ts N name=webDir[@srcRoot]...
 *
 * Build each web dir first: `node scripts/build-web.mjs <dir>` (at the commits compared).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import { launchBenchChromium } from './web-overview.bench';
import { freshDir, percentile } from './harness';
import { CACHE_DIR } from './ledger-log.cache';

const CLOCK = '2026-12-01T10:00:00Z';
const load = () => loadavg()[0]!.toFixed(1);

interface Variant {
  readonly name: string;
  readonly base: string;
  readonly cookies: Awaited<ReturnType<import('playwright-core').BrowserContext['cookies']>>;
  readonly child: ChildProcess;
}

interface Sample {
  readonly ms: number;
  readonly rendererCpuMs: number;
  readonly steps: Record<string, number>;
}

/** `srcRoot`: the api of another checkout (the commit compared against), default this one. */
function startApi(
  dataDir: string,
  webDir: string,
  srcRoot = join(__dirname, '..'),
): Promise<{ child: ChildProcess; base: string }> {
  const work = freshDir('ihl-bench-web-data-');
  for (const f of ['events.sqlite', 'person-keys.sqlite'])
    if (existsSync(join(dataDir, f))) copyFileSync(join(dataDir, f), work.file(f));
  const child = fork(join(srcRoot, 'bench/web-overview.child.ts'), [work.dir, CLOCK, webDir], {
    execArgv: ['--require', join(srcRoot, 'test/support/register-ts.cjs')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the API process exited (${code}) before listening`)));
    child.once('message', (m) => resolve({ child, ...(m as { base: string }) }));
  });
}

async function ready(name: string, browser: Browser, api: { child: ChildProcess; base: string }): Promise<Variant> {
  while ((await fetch(`${api.base}/health/ready`)).status !== 200) await new Promise((r) => setTimeout(r, 500));
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${api.base}/sign-in`);
  await page.getByRole('button', { name: /agentūros auditorius/ }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.locator('.chart[data-rendered="true"]').waitFor({ timeout: 300_000 });
  const cookies = await context.cookies();
  await context.close();
  return { name, cookies, ...api };
}

/** CPU time (ms) of each renderer process, by id, from the browser's own count. */
async function renderers(cdp: CDPSession): Promise<Map<number, number>> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number; cpuTime: number }[];
  };
  return new Map(processInfo.filter((p) => p.type === 'renderer').map((p) => [p.id, p.cpuTime * 1000]));
}

// Runs in the page before its own scripts: when the chart is marked drawn (not subject to the CSP).
const MARK_CHART = `new MutationObserver((_, o) => {
  if (document.querySelector('.chart[data-rendered="true"]')) { window.__chartAt = performance.now(); o.disconnect(); }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-rendered'] });`;

/** Resource timings as steps: when each named resource's answer ended, ms from navigation start. */
const STEPS = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const out = { html: Math.round(nav.responseEnd), domInteractive: Math.round(nav.domInteractive) };
  for (const r of performance.getEntriesByType('resource')) {
    const u = new URL(r.name);
    const key = u.pathname.replace(/^\\/api\\/v1\\/projects\\/[^/]+/, 'project').replace(/-[A-Z0-9]{8}\\.js$/, '.js');
    // Twice: a preload the page's own request did not take (it asked again).
    if (out[key] !== undefined) out[key + ' twice'] = 1;
    out[key + ' start'] = Math.round(r.startTime);
    out[key] = Math.round(r.responseEnd);
  }
  out.chart = Math.round(window.__chartAt ?? -1);
  const draw = performance.getEntriesByName('chart-draw')[0];
  if (draw) out['chart-draw (own time)'] = Math.round(draw.duration);
  return JSON.stringify(out);
})()`;

async function coldLoad(browser: Browser, browserCdp: CDPSession, v: Variant): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addCookies(v.cookies);
  await context.addInitScript(MARK_CHART);
  const page = await context.newPage();
  const profileDir = process.env['PROFILE_DIR'];
  const pageCdp = await context.newCDPSession(page);
  if (profileDir) {
    await pageCdp.send('Profiler.enable');
    await pageCdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await pageCdp.send('Profiler.start');
  }
  const before = await renderers(browserCdp);
  const trace = process.env['TRACE_DIR'];
  if (trace)
    await browser.startTracing(page, { path: join(trace, `${v.name}-${Date.now()}.json`), screenshots: false });
  const t = performance.now();
  await page.goto(`${v.base}/`, { waitUntil: 'commit' });
  await page.locator('.chart[data-rendered="true"]').waitFor({ timeout: 120_000 });
  const ms = performance.now() - t;
  if (trace) await browser.stopTracing();
  if (profileDir) {
    const { profile } = await pageCdp.send('Profiler.stop');
    writeFileSync(join(profileDir, `${v.name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
  const after = await renderers(browserCdp);
  // The new context's renderer (a process that was not there before), or what a kept one spent.
  let rendererCpuMs = 0;
  for (const [id, cpu] of after) rendererCpuMs += cpu - (before.get(id) ?? 0);
  const { result } = (await pageCdp.send('Runtime.evaluate', { expression: STEPS, returnByValue: true })) as {
    result: { value: string };
  };
  await context.close();
  return { ms, rendererCpuMs, steps: JSON.parse(result.value) as Record<string, number> };
}

function summary(name: string, samples: Sample[]): string {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const cpu = samples.map((s) => s.rendererCpuMs).sort((a, b) => a - b);
  const keys = Object.keys(samples[0]!.steps);
  const medianOf = (k: string) =>
    percentile(
      samples.map((s) => s.steps[k] ?? NaN).sort((a, b) => a - b),
      50,
    ).toFixed(0);
  return (
    `${name}: to chart p50 ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms; ` +
    `renderer CPU p50 ${percentile(cpu, 50).toFixed(0)} ms, p99 ${percentile(cpu, 99).toFixed(0)} ms\n` +
    `  median steps (ms from navigation start): ${keys.map((k) => `${k} ${medianOf(k)}`).join(', ')}`
  );
}

async function main(): Promise<void> {
  const [n, ...specs] = process.argv.slice(2);
  const rounds = Number(n);
  if (!Number.isInteger(rounds) || specs.length === 0)
    throw new Error('usage: web-overview.compare.ts N name=webDir...');
  const dataDir = readdirSync(CACHE_DIR)
    .filter((d) => /^simulation-v\d+-scale1-seed1-until2026-11-30$/.test(d))
    .map((d) => join(CACHE_DIR, d))
    .sort()
    .pop();
  if (!dataDir) throw new Error('no cached scale-1 simulation: run BENCH_ONLY=web once');
  const browser = await launchBenchChromium();
  const browserCdp = await browser.newBrowserCDPSession();
  // name=webDir, or name=webDir@srcRoot for the api of another checkout.
  const started = await Promise.all(
    specs.map((s) => {
      const [webDir, srcRoot] = s.split('=')[1]!.split('@');
      return startApi(dataDir, webDir!, srcRoot);
    }),
  );
  const variants: Variant[] = [];
  try {
    for (const [i, api] of started.entries()) variants.push(await ready(specs[i]!.split('=')[0]!, browser, api));
    console.log(`${dataDir}: ${rounds} rounds, 1-minute load ${load()} at the start`);
    const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
    for (let r = 0; r < rounds; r++)
      for (const v of r % 2 ? [...variants].reverse() : variants)
        samples.get(v.name)!.push(await coldLoad(browser, browserCdp, v));
    for (const [name, s] of samples) console.log(summary(name, s));
    console.log(`1-minute load ${load()} at the end`);
  } finally {
    await browser.close();
    await Promise.all(
      started.map(
        (api) =>
          new Promise<void>((resolve) => {
            api.child.once('exit', () => resolve());
            api.child.send('close');
          }),
      ),
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
