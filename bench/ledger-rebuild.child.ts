/**
 * One measurement of the ledger suite, in its own process so that its RSS is its own. Prints one
 * JSON line (a ChildResult) on stdout.
 *
 *   raw     <events.sqlite>
 *       better-sqlite3 alone: every row of the events table in position order, JSON.parse of data
 *       and metadata (the goal's baseline: the log read and decoded, the same columns the SQLite
 *       feed reads and decodes for a rebuild).
 *   rebuild <events.sqlite> <read-models.sqlite> <keys dir> <batch size> <limit|all> <rss sample points> [flags]
 *       a ProjectionRunner with the ledger's projections, from position 0 into a fresh file,
 *       through the store's catch-up subscription, until caught up (or until `limit` events);
 *       flags (comma-separated): `noop`, one projection that does nothing instead (the share of
 *       the runner, its records table and the store); `nobulk`, batch by batch instead of in bulk;
 *       `noahead`, the store reads the rows on the main thread (no read-ahead thread); `nomem`, every
 *       projection writes each event's rows through SQL (no in-memory tables, bulk-tables.ts).
 */
import Database from 'better-sqlite3';
import { SqliteEventStore, type StoredEvent, type SubscribeOptions } from '@ihl/event-store';
import { upcasters } from '@ihl/application';
import { ProjectionRunner, type Projection } from '@ihl/projections';
import { PrivacyPersonRegistry, ledgerProjections } from '@ihl/runtime';
import { BENCH_PRIVACY } from './ledger-log.generator';

export interface RssSample {
  readonly events: number;
  readonly rssBytes: number;
  readonly seconds: number;
}

export interface ChildResult {
  readonly mode: 'raw' | 'rebuild';
  readonly events: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** RSS when the n-th event was handed over (rebuild) or read (raw). */
  readonly samples: RssSample[];
  /** Highest RSS seen (sampled every 10,000 events and at the end). */
  readonly peakRssBytes: number;
  /**
   * The OS's high-water mark of the process's RSS (`process.resourceUsage().maxRSS`, KiB → bytes,
   * at the end of the measurement): the true peak, including start-up and any spike between samples.
   */
  readonly maxRssBytes: number;
  readonly reached?: number;
  readonly batchSize?: number;
  /** Names of the projections rebuilt. */
  readonly projections?: string[];
}

const SAMPLE_EVERY = 10_000;

function sampler(points: readonly number[], started: number) {
  const samples: RssSample[] = [];
  let peak = 0;
  return {
    samples,
    get peak() {
      return Math.max(peak, process.memoryUsage.rss());
    },
    /** Called with the running count of events: cheap unless at a sample point. */
    see(n: number) {
      if (n % SAMPLE_EVERY === 0) peak = Math.max(peak, process.memoryUsage.rss());
      if (points.includes(n))
        samples.push({ events: n, rssBytes: process.memoryUsage.rss(), seconds: (performance.now() - started) / 1000 });
    },
  };
}

function raw(eventsFile: string, points: readonly number[]): ChildResult {
  const db = new Database(eventsFile, { readonly: true });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rss = sampler(points, started);
  let n = 0;
  let touched = 0;
  const rows = db
    .prepare(
      'select position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at from events order by position',
    )
    .iterate() as IterableIterator<{ data: string; metadata: string; type: string }>;
  for (const row of rows) {
    const data = JSON.parse(row.data) as unknown;
    const metadata = JSON.parse(row.metadata) as unknown;
    // Use what was parsed, so no engine can skip the work.
    if (data !== null && metadata !== null && row.type.length > 0) touched++;
    rss.see(++n);
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  if (touched !== n) throw new Error('unexpected null event data');
  return {
    mode: 'raw',
    events: n,
    seconds,
    cpuSeconds: cpuSeconds(cpu),
    samples: rss.samples,
    peakRssBytes: rss.peak,
    maxRssBytes: maxRssBytes(),
  };
}

async function rebuild(
  eventsFile: string,
  readModels: string,
  keysDir: string,
  batchSize: number,
  limit: number | null,
  points: readonly number[],
  noop: boolean,
  bulk: boolean,
  readAhead: boolean,
  inMemory: boolean,
): Promise<ChildResult> {
  const store = new SqliteEventStore({ file: eventsFile, ...(readAhead ? {} : { readAheadFrom: 0 }) });
  const persons = new PrivacyPersonRegistry({ dataDir: keysDir, ...BENCH_PRIVACY });
  const projections: Projection[] = noop
    ? [{ name: 'noop', version: 1, tables: [], schema: '', handles: 'all', evolve: () => undefined }]
    : ledgerProjections((pseudonym, sealed) => persons.open(pseudonym, sealed));
  let stopAt: number | null = null;
  if (limit !== null) {
    const probe = new Database(eventsFile, { readonly: true });
    const row = probe.prepare('select position from events order by position limit 1 offset ?').get(limit - 1) as
      { position: number } | undefined;
    probe.close();
    stopAt = row?.position ?? null;
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rss = sampler(points, started);
  let handedOver = 0;
  // Counts what the store hands over; the runner sees the same events, untouched.
  const observed = new Proxy(store, {
    get(target, prop) {
      if (prop === 'subscribeToAll')
        return (o: SubscribeOptions) =>
          target.subscribeToAll({
            ...o,
            onEvent: (e: StoredEvent) => {
              rss.see(++handedOver);
              return o.onEvent(e);
            },
          });
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const runner = new ProjectionRunner({
    store: observed,
    file: readModels,
    projections,
    upcasters,
    batchSize,
    bulkRebuild: bulk,
    bulkInMemory: inMemory,
  });
  if (stopAt === null) await runner.start();
  else {
    // Stopped before it catches up, so start() rejects; only the first `limit` events count.
    runner.start().catch(() => undefined);
    await runner.waitFor(stopAt, 3_600_000);
  }
  const seconds = (performance.now() - started) / 1000;
  const result: ChildResult = {
    mode: 'rebuild',
    events: stopAt === null ? handedOver : limit!,
    seconds,
    cpuSeconds: cpuSeconds(cpu),
    samples: rss.samples,
    peakRssBytes: rss.peak,
    maxRssBytes: maxRssBytes(),
    reached: runner.reached,
    batchSize,
    projections: projections.map((p) => p.name),
  };
  await runner.stop();
  await store.close();
  persons.close?.();
  return result;
}

function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  let result: ChildResult;
  if (mode === 'raw') result = raw(args[0]!, (args[1] ?? '').split(',').filter(Boolean).map(Number));
  else if (mode === 'rebuild') {
    const [eventsFile, readModels, keysDir, batch, limit, points, flags] = args;
    const flag = (name: string) => (flags ?? '').split(',').includes(name);
    result = await rebuild(
      eventsFile!,
      readModels!,
      keysDir!,
      Number(batch),
      limit === 'all' ? null : Number(limit),
      (points ?? '').split(',').filter(Boolean).map(Number),
      flag('noop'),
      !flag('nobulk'),
      !flag('noahead'),
      !flag('nomem'),
    );
  } else throw new Error(`usage: ledger-rebuild.child.ts raw|rebuild ... (got ${mode})`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
