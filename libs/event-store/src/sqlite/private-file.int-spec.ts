import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, preparePrivateDbFile } from './private-file';
import { SqliteEventStore } from './sqlite-event-store';

const modeOf = (f: string) => (statSync(f).mode & 0o777).toString(8);

/** Real files under the umask most systems give a process (022: new files world-readable). */
describe('private data files', () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0o022);
    dir = mkdtempSync(join(tmpdir(), 'ihl-private-'));
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A WAL database with a write done and the connection open, so its -wal and -shm are there. */
  const writeWal = (file: string) => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec("create table t (x); insert into t values ('a')");
    return db;
  };

  it('SQLite alone creates a world-readable database; prepared first, it and its -wal and -shm are 0600', () => {
    const plain = join(dir, 'plain.sqlite');
    const db1 = writeWal(plain);
    // What the ledger had before: the umask decides.
    expect([plain, `${plain}-wal`, `${plain}-shm`].map(modeOf)).toEqual(['644', '644', '644']);
    db1.close();
    const file = join(dir, 'private.sqlite');
    preparePrivateDbFile(file);
    const db2 = writeWal(file);
    // SQLite creates -wal and -shm with the database file's mode, not from the umask.
    expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual(['600', '600', '600']);
    db2.close();
  });

  it('a rollback journal takes the database file mode too', () => {
    const file = join(dir, 'journal.sqlite');
    preparePrivateDbFile(file);
    const db = new Database(file);
    db.exec('create table t (x)');
    db.exec('begin');
    db.prepare('insert into t values (1)').run();
    expect(modeOf(`${file}-journal`)).toBe('600');
    db.exec('commit');
    db.close();
  });

  it('creates the missing folders 0700, and leaves a folder that exists as it is', () => {
    const file = join(dir, 'data', 'deeper', 'x.sqlite');
    preparePrivateDbFile(file);
    expect([join(dir, 'data'), join(dir, 'data', 'deeper')].map(modeOf)).toEqual(['700', '700']);
    expect(modeOf(file)).toBe('600');
    const mine = join(dir, 'chosen');
    mkdirSync(mine, { mode: 0o755 });
    ensurePrivateDir(mine);
    expect(modeOf(mine)).toBe('755');
  });

  it('tightens a database and its side files that exist with a wider mode', () => {
    const file = join(dir, 'old.sqlite');
    const db = writeWal(file);
    chmodSync(file, 0o644);
    chmodSync(`${file}-wal`, 0o666);
    chmodSync(`${file}-shm`, 0o644);
    preparePrivateDbFile(file);
    expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual(['600', '600', '600']);
    // Still the same database, opened again.
    const again = new Database(file);
    expect(again.prepare('select x from t').pluck().get()).toBe('a');
    again.close();
    db.close();
  });

  it('0600 and 0700 exactly, also under a umask that takes the owner bits away', () => {
    process.umask(0o277);
    const file = join(dir, 'data', 'strict.sqlite');
    preparePrivateDbFile(file);
    expect([join(dir, 'data'), file].map(modeOf)).toEqual(['700', '600']);
  });

  it('leaves in-memory and temporary databases alone', () => {
    preparePrivateDbFile(':memory:');
    preparePrivateDbFile('');
    expect(existsSync(':memory:')).toBe(false);
  });

  it('the event store: events.sqlite, -wal and -shm 0600 and DATA_DIR 0700; an old world-readable store is tightened', async () => {
    const dataDir = join(dir, 'data');
    const file = join(dataDir, 'events.sqlite');
    const store = new SqliteEventStore({ file });
    await store.append('s-1', [{ eventId: randomUUID(), type: 'Happened', data: {} }], 'no_stream');
    expect([dataDir, file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual(['700', '600', '600', '600']);
    await store.close();
    chmodSync(file, 0o644);
    const reopened = new SqliteEventStore({ file });
    expect(modeOf(file)).toBe('600');
    await reopened.close();
  });
});
