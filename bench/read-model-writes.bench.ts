/**
 * Pages and CPU per live event of the ledger's read models (issue #15, write path). Opens a
 * ProjectionRunner on an existing read-model file caught up with its log, then applies `n` new
 * service deliveries (copies of the log's last ones under new record ids, after its head; `new`: each for a
 * person never seen before) in live
 * transactions of `batch` events through the runner's own batch path, and counts per event the WAL
 * frames (4 KiB pages) each commit wrote, read from the `-shm` file's mxFrame, and the CPU spent.
 * The file is written: run it on a copy.
 *
 *   npx tsx bench/read-model-writes.bench.ts <events.sqlite> <read-models.sqlite> <keys dir> [n=2000] [batch=24] [new]
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventMetadata, type JsonValue, type StoredEvent } from '@ihl/event-store';
import { upcasters } from '@ihl/application';
import { ProjectionRunner } from '@ihl/projections';
import { PrivacyPersonRegistry, ledgerProjections } from '@ihl/runtime';
import { BENCH_PRIVACY } from './ledger-log.generator';

interface Row {
  stream_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
}

/** The WAL's last valid frame (the wal-index header's mxFrame, bytes 16..19 of `-shm`). */
const walFrames = (file: string): number => readFileSync(`${file}-shm`).readUInt32LE(16);

/** The log's last `n` service deliveries, as new records after `head`. */
function newDeliveries(eventsFile: string, n: number, head: number, newPersons: boolean): StoredEvent[] {
  const db = new Database(eventsFile, { readonly: true });
  const rows = db
    .prepare(
      `select stream_id, type, schema_version, data, metadata from events
        where type = 'ServiceDelivered' and revision = 0 order by position desc limit ?`,
    )
    .all(n) as Row[];
  db.close();
  const at = Date.parse('2030-01-01T00:00:00Z');
  return rows.reverse().map((r, i) => {
    const id = randomUUID();
    const eventId = randomUUID();
    const data = JSON.parse(r.data) as { [key: string]: JsonValue };
    // A person never seen before (no profile: counted with unknown attributes), or the one served then.
    if (newPersons) renamePerson(data);
    const recordedAt = new Date(at + i * 1000).toISOString();
    const metadata = { ...(JSON.parse(r.metadata) as EventMetadata), eventId, recordedAt };
    return {
      position: head + 1 + i,
      streamId: `activity-${id}`,
      revision: 0,
      eventId,
      type: r.type,
      schemaVersion: r.schema_version,
      data: { ...data, activityId: id },
      metadata,
      recordedAt,
    };
  });
}

function renamePerson(data: { [key: string]: JsonValue }): void {
  const fields = data['fields'];
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return;
  const recipient = fields['recipient'];
  if (recipient === null || typeof recipient !== 'object' || Array.isArray(recipient)) return;
  recipient['pseudonym'] = `p1_${randomUUID().replaceAll('-', '')}${randomUUID().replaceAll('-', '')}`;
}

/** BENCH_BTREES=1: the run's WAL frames per table or index (which b-trees a live event dirties). */
function framesByBtree(db: Database.Database, file: string): Record<string, number> {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const names = new Map<number, string>();
  for (const r of db.prepare('select name, pageno from dbstat').iterate() as Iterable<{ name: string; pageno: number }>)
    names.set(r.pageno, r.name);
  const wal = readFileSync(`${file}-wal`);
  const counts: Record<string, number> = {};
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    const name = names.get(wal.readUInt32BE(at)) ?? 'free or new';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

async function main(): Promise<void> {
  const [eventsFile, readModels, keysDir, nArg, batchArg, personsArg] = process.argv.slice(2);
  if (!eventsFile || !readModels || !keysDir)
    throw new Error('usage: <events.sqlite> <read-models.sqlite> <keys dir> [n] [batch]');
  const n = Number(nArg ?? 2000);
  const batch = Number(batchArg ?? 24);
  const store = new SqliteEventStore({ file: eventsFile });
  const persons = new PrivacyPersonRegistry({ dataDir: keysDir, ...BENCH_PRIVACY });
  const runner = new ProjectionRunner({
    store,
    file: readModels,
    projections: ledgerProjections((pseudonym, sealed) => persons.open(pseudonym, sealed)),
    upcasters,
    // No checkpoint during the run: every frame a commit writes stays counted.
    liveWalPages: 1_000_000_000,
  });
  await runner.start();
  const events = newDeliveries(eventsFile, n, runner.reached, personsArg === 'new');
  // The runner's own live path (applyBatch: one transaction, the projections' commit, the checkpoint).
  const apply = (slice: readonly StoredEvent[]) => runner['applyBatch'](slice);
  let frames = 0;
  let cpuMicros = 0;
  let commits = 0;
  for (let i = 0; i < events.length; i += batch) {
    const slice = events.slice(i, i + batch);
    const before = walFrames(readModels);
    const cpu = process.cpuUsage();
    apply(slice);
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
    frames += walFrames(readModels) - before;
    commits++;
  }
  if (runner.reached !== events.at(-1)!.position) throw new Error(`applied up to ${runner.reached} only`);
  if (process.env.BENCH_BTREES) console.log(JSON.stringify(framesByBtree(runner.db, readModels)));
  await runner.stop();
  await store.close();
  persons.close?.();
  const line = {
    events: events.length,
    persons: personsArg === 'new' ? 'new' : 'known',
    batch,
    commits,
    framesPerEvent: +(frames / events.length).toFixed(2),
    framesPerCommit: +(frames / commits).toFixed(1),
    cpuMicrosPerEvent: Math.round(cpuMicros / events.length),
  };
  console.log(JSON.stringify(line));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
