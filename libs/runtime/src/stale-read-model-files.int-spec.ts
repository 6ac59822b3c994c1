import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventStore, type NewEvent } from '@ihl/event-store';
import {
  claimFreshReadModelFile,
  currentReadModelFile,
  freshReadModelFile,
  removeStaleReadModelFiles,
} from './read-model-files';
import { ReadModels, ledgerProjections } from './read-models';
import { rebuildReadModels } from './rebuild-read-models';

const BIRTH_DATE = '1961-01-01';
const open = (_: string, sealed: string) => JSON.parse(sealed) as { birthDate: string };
const ev = (type: string, data: object): NewEvent => ({ eventId: randomUUID(), type, data: data as never });

/**
 * `ledger rebuild` as a process of its own, stuck after its first page of the log (the store hands
 * over no second one): its file is half written. Says 'inside' then.
 */
const STUCK_REBUILD = `
const { rebuildReadModels } = require('./libs/runtime/src/rebuild-read-models');
const { createPersonsReachedProjection } = require('@ihl/projections');
const { SqliteEventStore } = require('@ihl/event-store');
const [, events, dataDir] = process.argv;
const real = new SqliteEventStore({ file: events });
let pages = 0;
const store = {
  headPosition: () => real.headPosition(),
  readAll: (o) => {
    if (pages++ === 0) return real.readAll(o);
    // Referenced by nobody: the collector may take the waiting rebuild, which must keep its lock anyway.
    const stuck = new Promise(() => {});
    // Once the rebuild waits on it: a full collection, as a busy machine runs at some point.
    setImmediate(() => {
      global.gc();
      process.stdout.write('inside\\n');
    });
    return stuck;
  },
};
setInterval(() => {}, 1000);
void rebuildReadModels({
  store,
  dataDir,
  projections: [createPersonsReachedProjection((_, sealed) => JSON.parse(sealed))],
  now: () => new Date(),
});
`;

describe('read-model files nobody will use again', () => {
  let dir: string;
  let store: SqliteEventStore;
  const started: ReadModels[] = [];
  /** Connections left open by `orphan`, as a killed process would have had them. */
  const leftOpen: Database.Database[] = [];
  const models = async (mode: 'run' | 'follow') => {
    const m = new ReadModels(store, dir, open, mode, 20);
    started.push(m);
    await m.start();
    return m;
  };
  /** The files of DATA_DIR that belong to the read-model file `file` (itself, side files, lock). */
  const filesOf = (file: string) =>
    readdirSync(dir)
      .filter((n) => n.startsWith(file.slice(dir.length + 1)))
      .sort();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-stale-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
    await store.append(
      'person-p1',
      [
        ev('PersonProfileRecorded', {
          pseudonym: 'p1',
          keyVersion: 1,
          sealed: JSON.stringify({ birthDate: BIRTH_DATE }),
        }),
      ],
      'no_stream',
    );
    // More than the first page a replay reads (2,000 events).
    for (let s = 0; s < 5; s++)
      await store.append(
        `tick-${s}`,
        Array.from({ length: 500 }, (_, n) => ev('Tick', { n })),
        'no_stream',
      );
  });
  afterEach(async () => {
    for (const m of started.splice(0)) await m.stop();
    for (const db of leftOpen.splice(0)) db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a rebuild killed with kill -9: kept while it runs, whoever starts; removed at the next start once it is dead', async () => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '-e', STUCK_REBUILD, join(dir, 'events.sqlite'), dir],
      {
        cwd: join(__dirname, '../../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the rebuild never got inside; stderr: ${stderr}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          if (!d.toString().includes('inside')) return;
          clearTimeout(timer);
          resolve();
        });
      });
      const [inProgress] = readdirSync(dir)
        .filter((n) => /^read-models-.*\.sqlite$/.test(n))
        .map((n) => join(dir, n));
      expect(inProgress).toBeDefined();
      const file = inProgress!;
      expect(filesOf(file)).toContain(`${file.slice(dir.length + 1)}.rebuilding`);

      // Every kind of start while the rebuild is alive: a follower (the api), the writer (the
      // worker), another rebuild (which points the ledger at its own file meanwhile).
      await models('follow');
      const writer = await models('run');
      const other = await rebuildReadModels({
        store,
        dataDir: dir,
        projections: ledgerProjections(open),
        now: () => new Date(),
      });
      expect(removeStaleReadModelFiles(dir)).toEqual([]);
      if (!existsSync(file))
        throw new Error(
          `the live rebuild's file is gone; child exit ${String(child.exitCode)}, lock file ${existsSync(`${file}.rebuilding`)}, files ${readdirSync(dir).join(' ')}, stderr: ${stderr}`,
        );
      for (let i = 0; i < 200 && writer.status.file !== other.file; i++) await new Promise((r) => setTimeout(r, 20));
      expect(writer.status.file).toBe(other.file);

      child.kill('SIGKILL');
      await exited;
      // What it leaves: the half-written file and its lock. (No profile in it yet: a bulk rebuild
      // holds the persons in memory and writes their profiles when the replay ends.)
      const left = filesOf(file);
      expect(left).toEqual(
        expect.arrayContaining([file.slice(dir.length + 1), `${file.slice(dir.length + 1)}.rebuilding`]),
      );
      expect(left.filter((n) => readFileSync(join(dir, n)).includes(Buffer.from(BIRTH_DATE)))).toEqual([]);

      await models('follow');
      expect(filesOf(file)).toEqual([]);
      // The ledger's own file is not touched.
      expect(currentReadModelFile(dir)).toBe(other.file);
      expect(existsSync(other.file)).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });

  /** What a rebuild killed before its end leaves: its file and side files, and its lock file, unlocked. */
  function orphan(): string {
    const file = freshReadModelFile(dir, new Date());
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(`create table reach_profiles (birth_date text); insert into reach_profiles values ('${BIRTH_DATE}')`);
    // Left open (as by a kill): its -wal and -shm stay; then a lock file nobody holds.
    leftOpen.push(db);
    writeFileSync(`${file}.rebuilding`, '');
    return file;
  }

  it('the next rebuild removes an orphan before it starts', async () => {
    const file = orphan();
    expect(filesOf(file).length).toBeGreaterThan(1);
    const rebuilt = await rebuildReadModels({
      store,
      dataDir: dir,
      projections: ledgerProjections(open),
      now: () => new Date(),
    });
    expect(filesOf(file)).toEqual([]);
    // Its own lock is gone once it is done; its file is the ledger's now.
    expect(filesOf(rebuilt.file)).toEqual([rebuilt.file.slice(dir.length + 1)]);
  });

  it('a rebuild in progress in this process is kept; its file is removed if it fails', async () => {
    const { file, lock } = claimFreshReadModelFile(dir, new Date());
    writeFileSync(file, '');
    expect(removeStaleReadModelFiles(dir, { superseded: true })).toEqual([]);
    expect(existsSync(file)).toBe(true);
    lock.release();
    // Released without pointing the ledger at it (a failed rebuild that did not clean up): a file like any other.
    expect(removeStaleReadModelFiles(dir)).toEqual([]);
    expect(removeStaleReadModelFiles(dir, { superseded: true })).toEqual([file]);
    // A rebuild that fails removes its file itself.
    const failing = { headPosition: () => Promise.reject(new Error('store gone')) } as unknown as EventStore;
    await expect(
      rebuildReadModels({ store: failing, dataDir: dir, projections: ledgerProjections(open), now: () => new Date() }),
    ).rejects.toThrow('store gone');
    expect(readdirSync(dir).filter((n) => n.startsWith('read-models'))).toEqual([]);
  });

  it('a file a rebuild replaced while no process ran: removed by the writer at its start, never by a follower', async () => {
    const first = new ReadModels(store, dir, open, 'run', 20);
    await first.start();
    await first.stop();
    const old = join(dir, 'read-models.sqlite');
    const { file: next } = await rebuildReadModels({
      store,
      dataDir: dir,
      projections: ledgerProjections(open),
      now: () => new Date(),
    });
    expect(existsSync(old)).toBe(true);
    await models('follow');
    expect(existsSync(old)).toBe(true);
    await models('run');
    expect(existsSync(old)).toBe(false);
    expect(existsSync(next)).toBe(true);
  });
});
