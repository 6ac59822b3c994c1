import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createEventStore, type EventStore, type JsonValue } from '@ihl/event-store';
import { currentReadModelFile } from './read-model-files';
import { ReadModels, ledgerProjections } from './read-models';
import { rebuildReadModels } from './rebuild-read-models';

const CODE = 'P-1';
const open = (_: string, sealed: string) => JSON.parse(sealed) as { birthDate: string };

/** Every entry of DATA_DIR with its permission bits. */
const modes = (dataDir: string) =>
  Object.fromEntries(readdirSync(dataDir).map((n) => [n, (statSync(join(dataDir, n)).mode & 0o777).toString(8)]));

/** The ledger's own files in DATA_DIR, as a process with the usual umask (022) makes them. */
describe('data files are owner-only whatever the umask', () => {
  let dir: string;
  let dataDir: string;
  let umask: number;
  let store: EventStore;
  const started: ReadModels[] = [];
  const append = async (streamId: string, type: string, data: Record<string, JsonValue>) =>
    (await store.append(streamId, [{ eventId: randomUUID(), type, data }], 'any')).position;
  const models = async (mode: 'run' | 'follow') => {
    const m = new ReadModels(store, dataDir, open, mode, 20);
    started.push(m);
    await m.start();
    return m;
  };

  beforeEach(() => {
    umask = process.umask(0o022);
    dir = mkdtempSync(join(tmpdir(), 'ihl-modes-'));
    // Not there yet: the ledger creates it.
    dataDir = join(dir, 'data');
  });
  afterEach(async () => {
    for (const m of started.splice(0)) await m.stop();
    await store.close();
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  async function someEvents(): Promise<number> {
    await append(`project-${CODE}`, 'ProjectRegistered', {
      definition: { code: CODE, envelopeCents: 1_000_00, coFinancing: { esfPlusBp: 8500, nationalBp: 1500 } },
    });
    await append('person-p1', 'PersonProfileRecorded', {
      pseudonym: 'p1',
      keyVersion: 1,
      sealed: JSON.stringify({ birthDate: '1961-01-01' }),
    });
    return append('activity-a1', 'ServiceDelivered', {
      activityId: 'a1',
      projectCode: CODE,
      partnerId: 'a',
      fields: {
        kind: 'service-delivered',
        occurredOn: '2024-03-01',
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 60,
        recipient: { pseudonym: 'p1', keyVersion: 1 },
      },
    });
  }

  it('the store, the live and followed read models, a rebuild and its swap: every file 0600, DATA_DIR 0700', async () => {
    store = createEventStore({ dataDir });
    const writer = await models('run');
    const reader = await models('follow');
    const at = await someEvents();
    await reader.waitFor(at, 5000);
    const snapshot = await writer.asOf(at);
    await snapshot.close();
    const rebuilt = await rebuildReadModels({
      store,
      dataDir,
      projections: ledgerProjections(open),
      now: () => new Date(),
    });
    await writer.waitFor(await append('activity-a1', 'ActivityVerified', { activityId: 'a1', partnerId: 'a' }), 5000);
    // Both processes move to the rebuilt file (the writer removes the old one).
    for (let i = 0; i < 200 && (writer.status.file !== rebuilt.file || reader.status.file !== rebuilt.file); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect([writer.status.file, reader.status.file]).toEqual([rebuilt.file, rebuilt.file]);
    const name = rebuilt.file.slice(dataDir.length + 1);
    // Listed while every connection is open, so the -wal and -shm files are there to be checked.
    expect(modes(dataDir)).toEqual({
      'events.sqlite': '600',
      'events.sqlite-wal': '600',
      'events.sqlite-shm': '600',
      'read-models.current': '600',
      [name]: '600',
      [`${name}-wal`]: '600',
      [`${name}-shm`]: '600',
    });
    expect(modes(dir)).toEqual({ data: '700' });
  });

  it('files an older version left world-readable are tightened when the ledger opens them', async () => {
    // As the ledger left them before: created by SQLite under the umask, -wal and -shm kept by a crash.
    mkdirSync(dataDir, { mode: 0o755 });
    const left: Database.Database[] = [];
    for (const name of ['events.sqlite', 'read-models.sqlite']) {
      const db = new Database(join(dataDir, name));
      db.pragma('journal_mode = WAL');
      db.exec('create table if not exists leftover (x)');
      left.push(db);
    }
    for (const name of readdirSync(dataDir)) chmodSync(join(dataDir, name), 0o644);
    store = createEventStore({ dataDir });
    const writer = await models('run');
    await writer.waitFor(await someEvents(), 5000);
    expect(writer.status.file).toBe(currentReadModelFile(dataDir));
    expect(modes(dataDir)).toEqual({
      'events.sqlite': '600',
      'events.sqlite-wal': '600',
      'events.sqlite-shm': '600',
      'read-models.sqlite': '600',
      'read-models.sqlite-wal': '600',
      'read-models.sqlite-shm': '600',
    });
    for (const db of left) db.close();
  });
});
