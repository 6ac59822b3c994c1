/**
 * CPU per short stream read on the SQLite store (issue #15, reads): a person's 1-3 events and an
 * empty stream (a new record's), on a file of ~100,000 events. Standalone, not in run.ts:
 *
 *   npx tsx bench/short-reads.bench.ts
 *   BENCH_READER_BEFORE=/abs/path/event.reader.before.ts npx tsx bench/short-reads.bench.ts
 *
 * With BENCH_READER_BEFORE (another version of libs/event-store/src/sqlite/event.reader.ts, e.g.
 * `git show <commit>:<that path>` saved beside it), both readers run on one connection in
 * interleaved repetitions, and the ratio of their CPU per read is printed.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type StoredEvent } from '@ihl/event-store';
import { SqliteEventReader } from '../libs/event-store/src/sqlite/event.reader';
import { median } from './harness';

const STREAMS = 50_000; // 1-3 events each: ~100,000 events
const READS = Number(process.env['BENCH_SHORT_READS'] ?? 5000);
const REPETITIONS = Number(process.env['BENCH_SHORT_REPETITIONS'] ?? 9);
const FILE = process.env['BENCH_SHORT_READS_FILE'] ?? join(tmpdir(), 'ihl-short-reads', 'events.sqlite');

interface Reader {
  readStream(streamId: string, options: object): StoredEvent[];
  readAll(options: { after?: number; maxCount?: number }): StoredEvent[];
}

/** A kind of read: `count` reads per sample, each checked, so that no variant reads less than asked. */
interface Workload {
  readonly name: string;
  readonly count: number;
  read(reader: Reader, rep: number, i: number): void;
}

function expectLength(events: StoredEvent[], ok: (n: number) => boolean, what: string): void {
  if (!ok(events.length)) throw new Error(`unexpected ${events.length} events in ${what}`);
}

const spread = (rep: number, i: number, n: number) => (i * 7919 + rep * 104_729) % n;

/** Pages of the log as a catch-up reads them: longer than the first, plain query, so a snapshot is needed. */
const logRead = (maxCount: number): Workload => ({
  name: `log ${maxCount}`,
  count: Math.max(20, Math.round((READS * 3) / maxCount)),
  read: (reader, rep, i) => {
    const after = spread(rep, i, 90_000) + 1;
    expectLength(reader.readAll({ after, maxCount }), (n) => n === maxCount, `the log after ${after}`);
  },
});

const WORKLOADS: readonly Workload[] = [
  {
    name: 'short',
    count: READS,
    read: (reader, rep, i) => {
      const id = `person-${spread(rep, i, STREAMS)}`;
      expectLength(reader.readStream(id, {}), (n) => n >= 1 && n <= 3, id);
    },
  },
  {
    name: 'empty',
    count: READS,
    read: (reader, rep, i) => expectLength(reader.readStream(`none-${rep}-${i}`, {}), (n) => n === 0, 'none'),
  },
  logRead(20),
  logRead(300),
  logRead(2000),
];

async function buildFile(): Promise<void> {
  if (existsSync(FILE)) return;
  mkdirSync(join(FILE, '..'), { recursive: true });
  const store = new SqliteEventStore({ file: FILE });
  const eventOf = (n: number) => ({
    eventId: randomUUID(),
    type: 'ServiceDelivered',
    data: { n, partner: 'P1', hours: 2, note: 'x'.repeat(80) },
    metadata: { actor: { subject: 'bench' } },
  });
  // Concurrent appends: the group commit writes them a batch per fsync.
  for (let from = 0; from < STREAMS; from += 1000) {
    const appends = [];
    for (let i = from; i < from + 1000; i++)
      appends.push(
        store.append(
          `person-${i}`,
          Array.from({ length: 1 + (i % 3) }, (_, k) => eventOf(i * 3 + k)),
          'no_stream',
        ),
      );
    await Promise.all(appends);
  }
  await store.close();
}

/** CPU microseconds per read of the workload. */
function cpuPerRead(reader: Reader, w: Workload, rep: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < w.count; i++) w.read(reader, rep, i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / w.count;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  await buildFile();
  const db = new Database(FILE);
  db.pragma('journal_mode = WAL');
  const readers: [string, Reader][] = [['after', new SqliteEventReader(db)]];
  const beforePath = process.env['BENCH_READER_BEFORE'];
  if (beforePath) {
    const before: { SqliteEventReader: new (db: Database.Database) => Reader } = await import(beforePath);
    readers.unshift(['before', new before.SqliteEventReader(db)]);
  }
  const count = db.prepare<[], number>('select count(*) from events').pluck().get();
  console.log(`file ${FILE}: ${count} events; ${REPETITIONS} repetitions; load average at start: ${load()}`);
  const cpu = new Map<string, number[]>();
  for (let rep = 0; rep < REPETITIONS; rep++) {
    // Alternate which reader goes first, so that neither always runs on a warmer cache.
    const order = rep % 2 === 0 ? readers : [...readers].reverse();
    for (const [name, reader] of order)
      for (const w of WORKLOADS) {
        const key = `${name} ${w.name}`;
        cpu.set(key, [...(cpu.get(key) ?? []), cpuPerRead(reader, w, rep)]);
      }
  }
  for (const [key, samples] of cpu)
    console.log(
      `${key}: median ${median(samples).toFixed(2)} µs CPU per read (${samples.map((s) => s.toFixed(1)).join(', ')})`,
    );
  if (beforePath)
    for (const { name } of WORKLOADS) {
      const ratio = median(cpu.get(`after ${name}`)!) / median(cpu.get(`before ${name}`)!);
      console.log(`${name}: after/before CPU ${ratio.toFixed(2)}×`);
    }
  console.log(`load average at end: ${load()}`);
  db.close();
}

void main();
