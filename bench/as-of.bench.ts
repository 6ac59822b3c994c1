/**
 * Figures as of a past point over HTTP, on the bench's large log: `GET /progress` and `GET /budget`
 * with `?asOf=` a day never asked before, a day asked again, a position never asked before, and four
 * different as-of requests at once, each against the live query (no `asOf`) in the same run, with
 * the API's RSS before and after. The API runs in its own process (bench/http-write.child.ts) on a
 * copy of the cached log and rebuilds its read models from 0 first (untimed). See bench/README.md,
 * section "As of".
 *
 * BENCH_QUICK=1: the 20,000-event log.
 * BENCH_ASOF_KEEP=<dir>: serve `<dir>` and keep it (a new folder gets a copy of the cached log; a
 * kept one is served as it is, so its read models are rebuilt only when their version changed).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freshDir, measurement, percentile, type BenchmarkSuite, type GoalCheck, type WorkloadResult } from './harness';
import { cachedLedgerLog } from './ledger-log.cache';
import type { LogSpec } from './ledger-log.generator';

const QUICK = process.env['BENCH_QUICK'] === '1';
const SPEC: LogSpec = QUICK
  ? { seed: 42, targetEvents: 20_000, partners: 12, persons: 100 }
  : { seed: 42, targetEvents: 1_000_000, partners: 60, persons: 5_000 };
const PROJECT = '07-003-P-0001';
const CLOCK = '2027-01-25T10:00:00Z';
/** How long the as-of threads are given to load before the measurements (see above). */
const WARM_THREADS_MS = Number(process.env['BENCH_ASOF_WARM_MS'] ?? 30_000);
/** Requests per workload (each cold one at a point never asked before). */
const N = QUICK ? 30 : 60;
const GOALS = { coldP99Ms: 100, warmP99Ms: 20, concurrentVsSingle: 2, rssVsIdle: 1.5 };

interface Api {
  readonly child: ChildProcess;
  readonly base: string;
  readonly tokens: Record<string, string>;
}

const KEEP = process.env['BENCH_ASOF_KEEP'];

function startApi(dir: string): Promise<Api> {
  const child = fork(join(__dirname, 'http-write.child.ts'), [dir, CLOCK, ...(KEEP ? ['keep'] : [])], {
    execArgv: ['--require', join(__dirname, '../test/support/register-ts.cjs')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the API process exited (${code}) before listening`)));
    child.once('message', (m) => resolve({ child, ...(m as { base: string; tokens: Record<string, string> }) }));
  });
}

function rssOf(api: Api): Promise<number> {
  return new Promise((resolve) => {
    api.child.once('message', (m) => resolve((m as { rss: number }).rss));
    api.child.send('rss');
  });
}

/** GET `path` as the agency's auditor: its status and how long it took (ms). */
function getter(api: Api): { get(path: string): Promise<{ status: number; ms: number }>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const { hostname, port } = new URL(api.base);
  const headers = { authorization: `Bearer ${api.tokens['auditor']}` };
  return {
    get: (path) =>
      new Promise((resolve, reject) => {
        const t = performance.now();
        const req = request({ agent, hostname, port, method: 'GET', path, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t }));
        });
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
}
const latencyOf = (ms: number[]): Latency => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/** The days of the log (Vilnius days are close enough to UTC ones for picking points) and its head. */
function logRange(eventsFile: string): { days: string[]; head: number } {
  const db = new Database(eventsFile, { readonly: true });
  try {
    const r = db
      .prepare('select min(recorded_at) as a, max(recorded_at) as b, max(position) as head from events')
      .get() as {
      a: string;
      b: string;
      head: number;
    };
    const days: string[] = [];
    for (let t = Date.parse(r.a.slice(0, 10)); t <= Date.parse(r.b.slice(0, 10)); t += 86_400_000)
      days.push(new Date(t).toISOString().slice(0, 10));
    return { days, head: r.head };
  } finally {
    db.close();
  }
}

/** `count` distinct items spread evenly over `all`, starting at `offset` (so two picks do not overlap). */
const spread = <T>(all: readonly T[], count: number, offset: number): T[] =>
  Array.from({ length: count }, (_, i) => all[Math.floor(((i + offset / 2) * all.length) / count) % all.length]!);

async function measure(
  get: (path: string) => Promise<{ status: number; ms: number }>,
  paths: readonly string[],
): Promise<Latency> {
  const ms: number[] = [];
  for (const path of paths) {
    const r = await get(path);
    if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
    ms.push(r.ms);
  }
  return latencyOf(ms);
}

/** Four different as-of requests at once, `rounds` times: each request's own latency. */
async function concurrent(
  get: (path: string) => Promise<{ status: number; ms: number }>,
  paths: readonly string[],
): Promise<Latency> {
  const ms: number[] = [];
  for (let i = 0; i + 4 <= paths.length; i += 4) {
    const answers = await Promise.all(paths.slice(i, i + 4).map((p) => get(p)));
    for (const a of answers) {
      if (a.status !== 200) throw new Error(`a concurrent as-of request answered ${a.status}`);
      ms.push(a.ms);
    }
  }
  return latencyOf(ms);
}

function keptDir(dir: string): ReturnType<typeof freshDir> {
  mkdirSync(dir, { recursive: true });
  return { dir, file: (name) => join(dir, name), dispose: () => undefined };
}

async function asOfWorkload(log: (line: string) => void): Promise<WorkloadResult> {
  const cached = await cachedLedgerLog(SPEC, log);
  const work = KEEP ? keptDir(KEEP) : freshDir('ihl-bench-asof-');
  for (const f of ['events.sqlite', 'person-keys.sqlite'])
    if (!existsSync(work.file(f))) copyFileSync(join(cached.dir, f), work.file(f));
  const { days, head } = logRange(work.file('events.sqlite'));
  const t = performance.now();
  const api = await startApi(work.dir);
  const c = getter(api);
  try {
    while ((await c.get('/health/ready')).status !== 200) await new Promise((r) => setTimeout(r, 500));
    log(
      `  API ready in ${((performance.now() - t) / 1000).toFixed(1)} s (read models ${KEEP ? 'kept or ' : ''}rebuilt from 0), ${days.length} days`,
    );
    const progress = `/api/v1/projects/${PROJECT}/progress`;
    const budget = `/api/v1/projects/${PROJECT}/budget`;
    const warmup = [...Array(10)].map(() => progress);
    await measure(c.get, warmup);
    const idleRss = await rssOf(api);
    // The as-of threads start with the first as-of request and take seconds to load (from source,
    // TypeScript compiled as they load; ~5 s each on a quiet host, more under load): given that
    // time before anything is measured. The idle RSS above is without them.
    await measure(c.get, [`${progress}?asOf=${head}`]);
    await new Promise((r) => setTimeout(r, WARM_THREADS_MS));
    await measure(
      c.get,
      [...Array(10)].map(() => `${budget}?asOf=${head}`),
    );
    // From 1% into the log: the project is registered by then (before it, an as-of answer is a 404).
    const positions = Array.from({ length: head - Math.floor(head / 100) }, (_, i) => Math.floor(head / 100) + i + 1);
    const r: Record<string, Latency> = {
      'progress live': await measure(c.get, Array(N).fill(progress)),
      'budget live': await measure(c.get, Array(N).fill(budget)),
      'progress asOf=<day never asked>': await measure(
        c.get,
        spread(days, N, 0).map((d) => `${progress}?asOf=${d}`),
      ),
      'budget asOf=<day never asked>': await measure(
        c.get,
        spread(days, N, 1).map((d) => `${budget}?asOf=${d}`),
      ),
      'progress asOf=<same day again>': await measure(
        c.get,
        Array(N).fill(`${progress}?asOf=${days[Math.floor(days.length / 2)]}`),
      ),
      'progress asOf=<position never asked>': await measure(
        c.get,
        spread(positions, N, 1).map((p) => `${progress}?asOf=${p}`),
      ),
      'budget asOf=<position never asked>': await measure(
        c.get,
        spread(positions, N, 3).map((p) => `${budget}?asOf=${p}`),
      ),
    };
    // Four different days at once, none asked before (an odd offset picks other days).
    r['progress asOf=<day>, 4 at once'] = await concurrent(
      c.get,
      spread(days, 4 * Math.floor(N / 4), 3).map((d, i) => `${i % 2 ? budget : progress}?asOf=${d}`),
    );
    const loadedRss = await rssOf(api);
    for (const [name, l] of Object.entries(r))
      log(`  ${name.padEnd(40)} p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`);
    log(`  RSS idle ${(idleRss / 2 ** 20).toFixed(0)} MiB, after ${(loadedRss / 2 ** 20).toFixed(0)} MiB`);
    return result(r, { idleRss, loadedRss }, cached.summary.events);
  } finally {
    c.close();
    await new Promise<void>((resolve) => {
      api.child.once('exit', () => resolve());
      api.child.send('close');
    });
    work.dispose();
  }
}

function result(
  r: Record<string, Latency>,
  memory: { idleRss: number; loadedRss: number },
  events: number,
): WorkloadResult {
  const live = r['progress live']!;
  const single = r['progress asOf=<day never asked>']!;
  const four = r['progress asOf=<day>, 4 at once']!;
  const vs = (l: Latency) => `${(l.p50 / live.p50).toFixed(1)}x live p50`;
  const p99Check = (name: string, goal: number): GoalCheck => ({
    title: `as of: ${name}`,
    measured: `p50 ${r[name]!.p50.toFixed(2)} ms, p99 ${r[name]!.p99.toFixed(2)} ms (${vs(r[name]!)})`,
    goal: `p99 <= ${goal} ms`,
    pass: r[name]!.p99 <= goal,
  });
  const checks: GoalCheck[] = [
    p99Check('progress asOf=<day never asked>', GOALS.coldP99Ms),
    p99Check('budget asOf=<day never asked>', GOALS.coldP99Ms),
    p99Check('progress asOf=<position never asked>', GOALS.coldP99Ms),
    p99Check('budget asOf=<position never asked>', GOALS.coldP99Ms),
    p99Check('progress asOf=<same day again>', GOALS.warmP99Ms),
    {
      title: 'as of: four different points at once vs one',
      measured: `p50 ${four.p50.toFixed(2)} ms vs ${single.p50.toFixed(2)} ms (${(four.p50 / single.p50).toFixed(2)}x)`,
      goal: `<= ${GOALS.concurrentVsSingle}x`,
      pass: four.p50 <= GOALS.concurrentVsSingle * single.p50,
    },
    {
      title: 'as of: API memory after every as-of request vs idle',
      measured: `${(memory.loadedRss / 2 ** 20).toFixed(0)} MiB vs ${(memory.idleRss / 2 ** 20).toFixed(0)} MiB (${(memory.loadedRss / memory.idleRss).toFixed(2)}x)`,
      goal: `<= ${GOALS.rssVsIdle}x`,
      pass: memory.loadedRss <= GOALS.rssVsIdle * memory.idleRss,
    },
  ];
  const subject = measurement('progress as of a day never asked (requests/s at p50)', [1000 / single.p50]);
  const baseline = measurement('live progress (requests/s at p50)', [1000 / live.p50]);
  return {
    id: 'as-of',
    title: `Figures as of a past point over HTTP at ${events.toLocaleString('en-US')} events (goals in the checks)`,
    unit: 'requests/s',
    baseline,
    subject,
    ratio: subject.median / baseline.median,
    pairRatios: [],
    goal: { minRatio: 0 },
    pass: checks.every((c) => c.pass),
    details: Object.fromEntries(Object.entries(r).map(([n, l]) => [n, `${l.p50.toFixed(2)} / ${l.p99.toFixed(2)} ms`])),
    checks,
  };
}

export const asOfBenchmarks: BenchmarkSuite = {
  name: 'as-of (figures at a past point over HTTP)',
  async run(log) {
    log(`as of${QUICK ? ' (BENCH_QUICK)' : ''}`);
    return [await asOfWorkload(log)];
  },
};
