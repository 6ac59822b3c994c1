/**
 * Writes over HTTP, as partners send them, on a ledger with a large log: single service deliveries
 * (a new person each time, and one person seen before) and batches of 100 new persons, at 32
 * connections, each against a baseline measured in the same run: an authenticated no-op POST of the
 * same body through the same app (bench/http-write.child.ts), and for the batch the single
 * submissions per record. See bench/README.md, section "HTTP writes".
 */
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { freshDir, measurement, median, percentile, type BenchmarkSuite, type WorkloadResult } from './harness';
import { cachedLedgerLog, CACHE_DIR } from './ledger-log.cache';
import { GENERATOR_VERSION, type LogSpec } from './ledger-log.generator';
import { projectionsInWorker, startProjectionWorker, type ProjectionWorker } from './http-write.worker';

const QUICK = process.env['BENCH_QUICK'] === '1';
const CONNECTIONS = 32;
const BATCH = 100;
/** BENCH_HTTP_SECONDS / BENCH_HTTP_BATCH_SECONDS: longer samples on the quick log, for steadier CPU figures. */
const secondsFrom = (name: string, otherwise: number) => Number(process.env[name] ?? otherwise);
const CONFIG = {
  seconds: secondsFrom('BENCH_HTTP_SECONDS', QUICK ? 2 : 6),
  /** A batch request takes seconds at 32 connections: a sample must hold several rounds of them. */
  batchSeconds: secondsFrom('BENCH_HTTP_BATCH_SECONDS', QUICK ? 4 : 20),
  warmupSeconds: QUICK ? 0.5 : 1.5,
  pairs: QUICK ? 1 : 3,
};
const FULL: LogSpec = { seed: 42, targetEvents: 1_000_000, partners: 60, persons: 5_000 };
const SMALL: LogSpec = { seed: 42, targetEvents: 100_000, partners: 60, persons: 5_000 };
const TINY: LogSpec = { seed: 42, targetEvents: 20_000, partners: 12, persons: 100 };
const PROJECT = '07-003-P-0001';
/** After the log's last simulated day; submissions go to the last quarter, reopened for them. */
const CLOCK = '2027-01-25T10:00:00Z';
const OCCURRED_ON = '2026-12-10';

/** The 1M-event log when this worktree has it cached (writing it takes ~12 min), else a smaller one. */
function logSpec(log: (line: string) => void): LogSpec {
  if (QUICK) return TINY;
  const wanted = process.env['BENCH_HTTP_EVENTS'];
  if (wanted) return { ...FULL, targetEvents: Number(wanted) };
  const full = join(
    CACHE_DIR,
    `ledger-s${FULL.seed}-n${FULL.targetEvents}-p${FULL.partners}-h${FULL.persons}-g${GENERATOR_VERSION}`,
  );
  if (existsSync(join(full, 'summary.json'))) return FULL;
  log('  the 1M-event log is not cached here: using a 100k-event one (BENCH_HTTP_EVENTS=1000000 to write it)');
  return SMALL;
}

/** A valid Lithuanian personal code of someone born 1930-1954, distinct for each n < 16,800,000. */
function personalCode(n: number): string {
  const sex = n % 2 === 0 ? '3' : '4';
  const k = Math.floor(n / 2);
  const first = `${sex}${30 + (k % 25)}${pad(1 + (Math.floor(k / 25) % 12))}${pad(1 + (Math.floor(k / 300) % 28))}${String(Math.floor(k / 8_400) % 1_000).padStart(3, '0')}`;
  return first + String(personalCodeCheckDigit(first));
}
const pad = (n: number) => String(n).padStart(2, '0');

function service(personalCodeOf: string): Record<string, unknown> {
  return {
    occurredOn: OCCURRED_ON,
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 90,
    recipient: { personalCode: personalCodeOf, profile: { sex: 'female', disability: false } },
    workerRef: 'nurse-07',
  };
}

interface Api {
  readonly child: ChildProcess;
  readonly base: string;
  readonly tokens: Record<string, string>;
}

function startApi(dir: string, env: Record<string, string>): Promise<Api> {
  const child = fork(join(__dirname, 'http-write.child.ts'), [dir, CLOCK], {
    execArgv: [
      '--require',
      join(__dirname, '../test/support/register-ts.cjs'),
      // BENCH_HTTP_CPU_PROF=<dir>: a CPU profile of the API process (all workloads) in that folder.
      ...(process.env['BENCH_HTTP_CPU_PROF']
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_HTTP_CPU_PROF']}`]
        : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the API process exited (${code}) before listening`)));
    child.once('message', (m) => resolve({ child, ...(m as { base: string; tokens: Record<string, string> }) }));
  });
}

/** The API process's CPU time so far (user + system, µs). */
function apiCpu(api: Api): Promise<number> {
  return new Promise((resolve) => {
    api.child.once('message', (m) => resolve((m as { cpuMicros: number }).cpuMicros));
    api.child.send('cpu');
  });
}

function apiRss(api: Api): Promise<number> {
  return new Promise((resolve) => {
    api.child.once('message', (m) => resolve((m as { rss: number }).rss));
    api.child.send('rss');
  });
}

interface Client {
  post(path: string, body: Buffer, token: string): Promise<number>;
  get(path: string, token?: string): Promise<number>;
  /** How many events the API's read models are behind the log (GET /health). */
  behind(): Promise<number>;
  close(): void;
}

function client(base: string): Client {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const { hostname, port } = new URL(base);
  const call = (method: string, path: string, body: Buffer | null, token?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = token ? { authorization: `Bearer ${token}` } : {};
      if (body) Object.assign(headers, { 'content-type': 'application/json', 'content-length': body.length });
      const req = request({ agent, hostname, port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  return {
    post: async (path, body, token) => (await call('POST', path, body, token)).status,
    get: async (path, token) => (await call('GET', path, null, token)).status,
    behind: async () =>
      (JSON.parse((await call('GET', '/health', null)).text) as { readModels: { behind: number } }).readModels.behind,
    close: () => agent.destroy(),
  };
}

interface Load {
  readonly requests: number;
  readonly records: number;
  readonly seconds: number;
  /** Sorted, ms. */
  readonly latencies: number[];
  readonly failures: Map<number, number>;
  /** After the load: ms until the API's read models had applied every event written. */
  readonly settleMs: number;
  /** CPU ms per request (API process + worker), from the load's start until the read models caught up. */
  cpuMsPerRequest?: number;
  /** The API process's alone. */
  apiCpuMsPerRequest?: number;
}

/** CONNECTIONS callers posting `bodyOf(i)` back to back for `seconds`. */
async function load(
  base: string,
  path: string,
  token: string,
  bodyOf: () => Buffer,
  recordsPerRequest: number,
  seconds: number,
): Promise<Load> {
  // Fresh connections for each load: a kept-alive socket idle across the pause between two loads may
  // be closed by the server just as it is reused (ECONNRESET).
  const c = client(base);
  try {
    return await loadOn(c, path, token, bodyOf, recordsPerRequest, seconds);
  } finally {
    c.close();
  }
}

async function loadOn(
  c: Client,
  path: string,
  token: string,
  bodyOf: () => Buffer,
  recordsPerRequest: number,
  seconds: number,
): Promise<Load> {
  const latencies: number[] = [];
  const failures = new Map<number, number>();
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const body = bodyOf();
        const t0 = performance.now();
        const status = await c.post(path, body, token);
        latencies.push(performance.now() - t0);
        if (status !== 201) failures.set(status, (failures.get(status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  // The read models run in the API process: the next workload starts once they caught up, and how long
  // that took is reported (writes that outrun them borrow CPU they pay back later).
  const settleStart = performance.now();
  while ((await c.behind()) > 0) await new Promise((r) => setTimeout(r, 20));
  const settleMs = performance.now() - settleStart;
  return {
    requests: latencies.length,
    records: latencies.length * recordsPerRequest,
    seconds: elapsed,
    latencies,
    failures,
    settleMs,
  };
}

type WorkloadName = 'noopSingle' | 'singleNew' | 'singleKnown' | 'noopBatch' | 'batchNew';

async function runAll(log: (line: string) => void): Promise<WorkloadResult[]> {
  const spec = logSpec(log);
  const cached = await cachedLedgerLog(spec, log);
  const work = freshDir('ihl-http-write-');
  for (const f of ['events.sqlite', 'person-keys.sqlite']) copyFileSync(join(cached.dir, f), work.file(f));
  const worker: ProjectionWorker | null = projectionsInWorker() ? await startProjectionWorker(work.dir) : null;
  if (worker) log('  read models fed by the ledger worker (LEDGER_PROJECTIONS=worker)');
  const api = await startApi(work.dir, worker?.apiEnv ?? {}).catch(async (e: unknown) => {
    await worker?.stop();
    throw e;
  });
  const c = client(api.base);
  // CPU of the API process, and of the worker when it feeds the read models.
  const cpuNow = async () => (await apiCpu(api)) + (worker?.cpuMicros() ?? 0);
  try {
    await ready(c, log);
    const reopened = await c.post(
      `/api/v1/projects/${PROJECT}/periods/2026-Q4/reopen`,
      json({ reason: 'Benchmark: late submissions of December' }),
      api.tokens['auditor']!,
    );
    if (reopened !== 201 && reopened !== 200) throw new Error(`reopening 2026-Q4 answered ${reopened}`);
    const idleRss = await apiRss(api);
    const partner = api.tokens['partnerA']!;
    let person = 0;
    const known = personalCode(16_000_000);
    const single = () => json(service(personalCode(person++)));
    const batch = () =>
      json({
        records: Array.from({ length: BATCH }, () => ({
          kind: 'service-delivered',
          ...service(personalCode(person++)),
        })),
      });
    const workloads: Record<WorkloadName, { path: string; body: () => Buffer; records: number }> = {
      noopSingle: { path: `/api/v1/bench-noop/${PROJECT}/service-deliveries`, body: single, records: 1 },
      singleNew: { path: `/api/v1/projects/${PROJECT}/activities/service-deliveries`, body: single, records: 1 },
      singleKnown: {
        path: `/api/v1/projects/${PROJECT}/activities/service-deliveries`,
        body: () => json(service(known)),
        records: 1,
      },
      noopBatch: { path: `/api/v1/bench-noop/${PROJECT}/batch`, body: batch, records: BATCH },
      batchNew: { path: `/api/v1/projects/${PROJECT}/activities/batch`, body: batch, records: BATCH },
    };
    const samples = new Map<WorkloadName, Load[]>();
    const names = selectedWorkloads(Object.keys(workloads) as WorkloadName[]);
    for (const name of names) {
      const w = workloads[name];
      await load(api.base, w.path, partner, w.body, w.records, CONFIG.warmupSeconds);
    }
    for (let pair = 0; pair < CONFIG.pairs; pair++) {
      // Alternating order, so that drifts of the host hit every workload alike.
      for (const name of pair % 2 === 0 ? names : [...names].reverse()) {
        const w = workloads[name];
        const seconds = w.records > 1 ? CONFIG.batchSeconds : CONFIG.seconds;
        const [cpu0, apiCpu0] = [await cpuNow(), await apiCpu(api)];
        const l = await load(api.base, w.path, partner, w.body, w.records, seconds);
        // Includes the read models' catch-up and the few /health polls of the settle wait.
        l.cpuMsPerRequest = ((await cpuNow()) - cpu0) / 1000 / l.requests;
        l.apiCpuMsPerRequest = ((await apiCpu(api)) - apiCpu0) / 1000 / l.requests;
        samples.set(name, [...(samples.get(name) ?? []), l]);
        log(
          `  ${name}: ${fmt(l.requests / l.seconds)} req/s, ${fmt(l.records / l.seconds)} records/s, p50 ${ms(percentile(l.latencies, 50))}, p99 ${ms(percentile(l.latencies, 99))}, read models caught up ${ms(l.settleMs)} later, CPU ${l.cpuMsPerRequest.toFixed(2)} ms/request${worker ? ` (API ${l.apiCpuMsPerRequest.toFixed(2)})` : ''}${l.failures.size ? `, FAILED ${[...l.failures].map(([s, n]) => `${n}×${s}`).join(' ')}` : ''}`,
        );
      }
    }
    const loadedRss = await apiRss(api);
    // A subset (for a profile of one workload) has no ratios to report.
    if (names.length < Object.keys(workloads).length) return [];
    return results(samples, spec, cached.summary.events, { idleRss, loadedRss });
  } finally {
    c.close();
    await new Promise<void>((resolve) => {
      api.child.once('exit', () => resolve());
      api.child.send('close');
    });
    await worker?.stop();
    work.dispose();
  }
}

/** BENCH_HTTP_WORKLOADS=singleNew,batchNew: only those (with BENCH_HTTP_CPU_PROF, a profile of them alone). */
function selectedWorkloads(all: WorkloadName[]): WorkloadName[] {
  const wanted = process.env['BENCH_HTTP_WORKLOADS']?.split(',').map((w) => w.trim());
  if (!wanted) return all;
  const unknown = wanted.filter((w) => !all.includes(w as WorkloadName));
  if (unknown.length > 0)
    throw new Error(`BENCH_HTTP_WORKLOADS: unknown ${unknown.join(', ')} (one of ${all.join(', ')})`);
  return all.filter((w) => wanted.includes(w));
}

async function ready(c: Client, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  while ((await c.get('/health/ready')) !== 200) await new Promise((r) => setTimeout(r, 250));
  log(`  API ready in ${((performance.now() - started) / 1000).toFixed(1)} s (read models caught up)`);
}

function results(
  samples: Map<WorkloadName, Load[]>,
  spec: LogSpec,
  events: number,
  memory: { idleRss: number; loadedRss: number },
): WorkloadResult[] {
  const rate = (name: WorkloadName, of: 'requests' | 'records') => samples.get(name)!.map((l) => l[of] / l.seconds);
  const p99 = (name: WorkloadName) => median(samples.get(name)!.map((l) => percentile(l.latencies, 99)));
  const failed = (name: WorkloadName) =>
    samples.get(name)!.reduce((n, l) => n + [...l.failures.values()].reduce((a, b) => a + b, 0), 0);
  const cpuMs = (name: WorkloadName) => median(samples.get(name)!.map((l) => l.cpuMsPerRequest ?? NaN)).toFixed(2);
  const common = {
    log: `${events} events (seed ${spec.seed}, target ${spec.targetEvents})`,
    connections: CONNECTIONS,
    secondsPerSample: `${CONFIG.seconds} (batches ${CONFIG.batchSeconds})`,
    apiRssIdleMiB: Math.round(memory.idleRss / 2 ** 20),
    apiRssAfterLoadMiB: Math.round(memory.loadedRss / 2 ** 20),
    readModelsIn: projectionsInWorker() ? 'worker' : 'api',
  };
  const versus = (
    id: string,
    title: string,
    base: { name: WorkloadName; label: string; of: 'requests' | 'records' },
    subject: { name: WorkloadName; label: string; of: 'requests' | 'records' },
    minRatio: number,
    p99Goal?: number,
  ): WorkloadResult => {
    const b = measurement(base.label, rate(base.name, base.of));
    const s = measurement(subject.label, rate(subject.name, subject.of));
    const ratio = s.median / b.median;
    const checks = [
      {
        title: `${subject.name}: refused or failed requests`,
        measured: String(failed(subject.name)),
        goal: '0',
        pass: failed(subject.name) === 0,
      },
      ...(p99Goal === undefined
        ? []
        : [
            {
              title: `${subject.name}: p99 latency`,
              measured: ms(p99(subject.name)),
              goal: `<= ${p99Goal} ms`,
              pass: p99(subject.name) <= p99Goal,
            },
          ]),
    ];
    return {
      id,
      title,
      unit: `${subject.of}/s`,
      baseline: b,
      subject: s,
      ratio,
      pairRatios: s.samples.map((x, i) => Math.round((x / b.samples[i]!) * 100) / 100),
      goal: { minRatio },
      pass: ratio >= minRatio && checks.every((c) => c.pass),
      details: {
        ...common,
        [`${base.name}P99`]: ms(p99(base.name)),
        [`${subject.name}P99`]: ms(p99(subject.name)),
        [`${subject.name}P50`]: ms(median(samples.get(subject.name)!.map((l) => percentile(l.latencies, 50)))),
        [`${base.name}CpuMsPerRequest`]: cpuMs(base.name),
        [`${subject.name}CpuMsPerRequest`]: cpuMs(subject.name),
        [`${subject.name}ReadModelsCaughtUpAfter`]: ms(median(samples.get(subject.name)!.map((l) => l.settleMs))),
        // The rate if the run had lasted until the read models caught up: what the API sustains.
        [`${subject.name}${subject.of === 'records' ? 'Records' : 'Requests'}PerSecondWithCatchUp`]: fmt(
          median(samples.get(subject.name)!.map((l) => l[subject.of] / (l.seconds + l.settleMs / 1000))),
        ),
      },
      checks,
    };
  };
  const noop = { name: 'noopSingle', label: 'no-op POST, same body', of: 'requests' } as const;
  return [
    versus(
      'http-single-new',
      'POST a service delivery, new person, vs no-op POST',
      noop,
      { name: 'singleNew', label: 'single, new person', of: 'requests' },
      0.5,
      50,
    ),
    versus(
      'http-single-known',
      'POST a service delivery, known person, vs no-op POST',
      noop,
      { name: 'singleKnown', label: 'single, known person', of: 'requests' },
      0.5,
      50,
    ),
    versus(
      'http-batch-vs-single',
      `POST /activities/batch of ${BATCH} new persons vs single POSTs, per record`,
      { name: 'singleNew', label: 'single POSTs (records/s)', of: 'records' },
      { name: 'batchNew', label: `batches of ${BATCH} (records/s)`, of: 'records' },
      5,
    ),
    versus(
      'http-batch-vs-noop',
      `POST /activities/batch of ${BATCH} vs no-op POST of the same batch`,
      { name: 'noopBatch', label: 'no-op batch POST', of: 'requests' },
      { name: 'batchNew', label: `batches of ${BATCH}`, of: 'requests' },
      0,
    ),
  ];
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(1)} ms`;

export const httpWriteBenchmarks: BenchmarkSuite = { name: 'http-write', run: runAll };
