import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyEventLog } from './chain.verifier';
import { chainHash, GENESIS_HASH, rowChainHash } from './hash-chain';
import { takeCheckpoint } from './checkpoint.signer';
import { EVENT_COLUMNS, type EventRow } from './event-row.mapping';
import { SqliteEventStore } from './sqlite-event-store';
import { SqliteMetadataRewrite } from './sqlite-metadata-rewrite';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const ev = (type: string, n: number) => ({ eventId: randomUUID(), type, data: { n, note: `event ${n}` } });

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ihl-chain-'));
  file = join(dir, 'events.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** 30 events over 3 streams (position p is revision floor((p-1)/3) of stream s-((p-1)%3)), a checkpoint at 20. */
async function writeLog(): Promise<void> {
  const store = new SqliteEventStore({ file });
  for (let i = 0; i < 30; i++) {
    await store.append(`s-${i % 3}`, [ev('Happened', i)], 'any');
    if (i === 19) store.takeCheckpoint(privateKey);
  }
  await store.close();
}

/** Tampers with the file from another program (a child node process with its own connection). */
function tamper(sql: string): void {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec(process.argv[2]); db.close();`;
  const r = spawnSync(process.execPath, ['-e', script, file, sql], { cwd: process.cwd(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

describe('the hash chain and ledger verify on SQLite', () => {
  it('accepts an untouched log and its signed checkpoint', async () => {
    await writeLog();
    const r = verifyEventLog(file, { publicKey });
    expect(r).toMatchObject({ ok: true, events: 30, head: 30, checkpoints: 1, signaturesChecked: true, fault: null });
  });

  it('reports a byte changed in data at its position', async () => {
    await writeLog();
    tamper(`update events set data = replace(data, 'event 11', 'event 71') where position = 12`);
    expect(verifyEventLog(file, { publicKey }).fault).toMatchObject({ position: 12, kind: 'altered' });
  });

  it('reports a deleted row as missing at its position', async () => {
    await writeLog();
    tamper('delete from events where position = 7');
    expect(verifyEventLog(file, { publicKey }).fault).toMatchObject({ position: 7, kind: 'missing' });
  });

  it('reports two swapped rows of different streams as reordered at the first', async () => {
    await writeLog();
    // Positions 5 and 6 (streams s-1 and s-2) trade their content; each keeps its stored hash.
    const cols = 'stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at';
    tamper(`create temp table t as select position, ${cols} from events where position in (5, 6);
            update events set event_id = event_id || 'x', stream_id = stream_id || 'x' where position in (5, 6);
            update events set (${cols}) = (select ${cols} from t where t.position = 11 - events.position)
              where position in (5, 6);`);
    const fault = verifyEventLog(file, { publicKey }).fault;
    expect(fault).toMatchObject({ position: 5, kind: 'reordered' });
  });

  it('reports two swapped rows of one stream as reordered at the first', async () => {
    await writeLog();
    // Positions 4 and 7 are revisions 1 and 2 of stream s-0: moved whole, hashes with them.
    tamper(`update events set position = 1000 where position = 4;
            update events set position = 4 where position = 7;
            update events set position = 7 where position = 1000;`);
    expect(verifyEventLog(file).fault).toMatchObject({ position: 4, kind: 'reordered' });
  });

  it('reports a row appended by another program as inserted', async () => {
    await writeLog();
    tamper(`insert into events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at)
            values ('s-0', 10, '${randomUUID()}', 'Happened', 1, '{"n":99}', '{}', '2026-12-07T00:00:00.000Z')`);
    expect(verifyEventLog(file, { publicKey }).fault).toMatchObject({ position: 31, kind: 'inserted' });
  });

  it('catches an alteration whose hashes were recomputed, at the checkpoint', async () => {
    await writeLog();
    const db = new Database(file);
    db.prepare(`update events set data = '{"n":0,"note":"forged"}' where position = 2`).run();
    const rows = db
      .prepare(
        `select position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at from events order by position`,
      )
      .raw(true)
      .all() as EventRow[];
    let prev = GENESIS_HASH;
    for (const row of rows) {
      prev = rowChainHash(prev, row);
      db.prepare('update events set hash = ? where position = ?').run(prev, row[0]);
    }
    db.close();
    expect(verifyEventLog(file, { publicKey }).fault).toMatchObject({ position: 20, kind: 'checkpoint' });
  });

  it('catches events removed from the end below a checkpoint, and a forged signature', async () => {
    await writeLog();
    tamper('delete from events where position > 18');
    expect(verifyEventLog(file).fault).toMatchObject({ position: 19, kind: 'missing' });
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'ihl-chain-'));
    file = join(dir, 'events.sqlite');
    await writeLog();
    tamper(`update checkpoints set taken_at = '2030-01-01T00:00:00.000Z'`);
    expect(verifyEventLog(file).ok).toBe(true);
    expect(verifyEventLog(file, { publicKey }).fault).toMatchObject({ position: 20, kind: 'checkpoint' });
  });

  it('chains the rows of a file written before the chain existed, once, when the store opens it', async () => {
    const old = new Database(file);
    old.exec(`create table events (
      position integer primary key, stream_id text not null, revision integer not null, event_id text not null unique,
      type text not null, schema_version integer not null, data text not null, metadata text not null,
      recorded_at text not null, unique (stream_id, revision));
      create table streams (stream_id text primary key, revision integer not null) without rowid;`);
    const insert = old.prepare(
      "insert into events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at) values ('s', ?, ?, 'A', 1, '{}', '{}', '2024-01-01T08:00:00.000Z')",
    );
    for (let i = 0; i < 5; i++) insert.run(i, randomUUID());
    old.prepare("insert into streams values ('s', 4)").run();
    old.close();
    const store = new SqliteEventStore({ file });
    await store.append('s', [ev('A', 5)], 4);
    await store.close();
    expect(verifyEventLog(file)).toMatchObject({ ok: true, events: 6 });
  });

  it('keeps the chain whole through a metadata rewrite (the legacy request-hash migration)', async () => {
    await writeLog();
    const rewrite = new SqliteMetadataRewrite(file);
    rewrite.set(
      'requestHash',
      new Map([
        [25, 'dropped'],
        [27, 'dropped'],
      ]),
    );
    rewrite.close();
    expect(verifyEventLog(file)).toMatchObject({ ok: true, events: 30 });
  });

  it('leaves no row rewritten without its hash when a metadata rewrite fails before it rechains', async () => {
    await writeLog();
    // Stands for a crash or a full disk between the rewrite's updates and its rechaining.
    tamper(`create trigger no_rechain before update of hash on events begin select raise(abort, 'disk full'); end`);
    const rewrite = new SqliteMetadataRewrite(file);
    expect(() => rewrite.set('requestHash', new Map([[25, 'dropped']]))).toThrow('disk full');
    rewrite.close();
    tamper('drop trigger no_rechain');
    expect(verifyEventLog(file, { publicKey })).toMatchObject({ ok: true, events: 30 });
    const db = new Database(file, { readonly: true });
    expect(db.prepare('select metadata from events where position = 25').pluck().get()).not.toContain('dropped');
    db.close();
  });

  it('takes checkpoints on its own every N events', async () => {
    const store = new SqliteEventStore({ file, checkpoints: { key: privateKey, everyEvents: 10, everyMs: 60_000 } });
    for (let i = 0; i < 25; i++) await store.append('s', [ev('A', i)], 'any');
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('select position from checkpoints order by position').pluck().all()).toEqual([10, 20]);
    db.close();
    expect(verifyEventLog(file, { publicKey })).toMatchObject({ ok: true, checkpoints: 2 });
  });

  describe('a file chained in format 1 (before format 2 existed)', () => {
    const rowsOf = (db: Database.Database): EventRow[] =>
      db.prepare(`select ${EVENT_COLUMNS} from events order by position`).raw(true).all() as EventRow[];

    /** 30 events chained and signed (at 30) as the code before format 2 did: no chain_formats table. */
    async function writeFormatOneLog(): Promise<void> {
      await writeLog();
      const db = new Database(file);
      db.exec('drop table chain_formats; delete from checkpoints');
      let prev = GENESIS_HASH;
      for (const row of rowsOf(db)) {
        prev = chainHash(prev, row);
        db.prepare('update events set hash = ? where position = ?').run(prev, row[0]);
      }
      takeCheckpoint(db, privateKey, new Date());
      db.close();
    }

    /** Opens it with the current store, appends 5 events after it and signs the new head. */
    async function appendWithCurrentCode(): Promise<void> {
      const store = new SqliteEventStore({ file });
      for (let i = 30; i < 35; i++) await store.append(`s-${i % 3}`, [ev('Happened', i)], 'any');
      store.takeCheckpoint(privateKey);
      await store.close();
    }

    it('keeps verifying, before and after the current code appends to it, and its new rows are format 2', async () => {
      await writeFormatOneLog();
      expect(verifyEventLog(file, { publicKey })).toMatchObject({ ok: true, events: 30, checkpoints: 1 });
      await appendWithCurrentCode();
      expect(verifyEventLog(file, { publicKey })).toMatchObject({ ok: true, events: 35, checkpoints: 2 });
      const db = new Database(file, { readonly: true });
      const stored = db.prepare('select hash from events order by position').pluck().all() as Buffer[];
      const rows = rowsOf(db);
      expect(db.prepare('select from_position from chain_formats where format = 2').pluck().get()).toBe(31);
      db.close();
      // Positions 1-30 keep their format-1 hashes; 31-35 chain on from them in format 2.
      let prev = GENESIS_HASH;
      rows.forEach((row, i) => {
        prev = row[0] <= 30 ? chainHash(prev, row) : rowChainHash(prev, row);
        expect({ position: row[0], same: prev.equals(stored[i]!) }).toEqual({ position: row[0], same: true });
      });
      expect(rows).toHaveLength(35);
    });

    it('reports a changed byte in a format-2 row and in a format-1 row of it', async () => {
      await writeFormatOneLog();
      await appendWithCurrentCode();
      tamper(`update events set data = replace(data, 'event 32', 'event 92') where position = 33`);
      expect(verifyEventLog(file, { publicKey }).fault).toMatchObject({ position: 33, kind: 'altered' });
      tamper(`update events set data = replace(data, 'event 11', 'event 71') where position = 12`);
      expect(verifyEventLog(file, { publicKey }).fault).toMatchObject({ position: 12, kind: 'altered' });
    });

    it('rechains a metadata rewrite across the boundary, each row in its own format', async () => {
      await writeFormatOneLog();
      await appendWithCurrentCode();
      // The rewrite changes signed rows: without their checkpoints, the chain alone must stay whole.
      tamper('delete from checkpoints');
      const rewrite = new SqliteMetadataRewrite(file);
      rewrite.set(
        'requestHash',
        new Map([
          [25, 'dropped'],
          [33, 'dropped'],
        ]),
      );
      rewrite.close();
      expect(verifyEventLog(file)).toMatchObject({ ok: true, events: 35 });
      tamper(`update events set metadata = replace(metadata, 'dropped', 'dropped!') where position = 33`);
      expect(verifyEventLog(file).fault).toMatchObject({ position: 33, kind: 'altered' });
    });

    it('reports the format boundary moved either way, and its row removed', async () => {
      await writeFormatOneLog();
      await appendWithCurrentCode();
      tamper('update chain_formats set from_position = 25');
      expect(verifyEventLog(file).fault).toMatchObject({ position: 25, kind: 'altered' });
      tamper('update chain_formats set from_position = 33');
      expect(verifyEventLog(file).fault).toMatchObject({ position: 31, kind: 'altered' });
      tamper('delete from chain_formats');
      expect(verifyEventLog(file).fault).toMatchObject({ position: 31, kind: 'altered' });
    });

    it('reports the boundary set below the first row or beyond the head, and its table dropped', async () => {
      await writeFormatOneLog();
      await appendWithCurrentCode();
      for (const [from, at] of [
        [0, 1],
        [-5, 1],
        [36, 31],
        [1e12, 31],
      ]) {
        tamper(`update chain_formats set from_position = ${from}`);
        expect(verifyEventLog(file).fault).toMatchObject({ position: at, kind: 'altered' });
      }
      tamper('drop table chain_formats');
      expect(verifyEventLog(file).fault).toMatchObject({ position: 31, kind: 'altered' });
    });
  });

  it('refuses a stream id or type holding a lone surrogate, which SQLite would store as other bytes than it hashed', async () => {
    const store = new SqliteEventStore({ file });
    await store.append('s-ok', [ev('Happened', 0)], 'any');
    // A lone surrogate goes into the file as its 3-byte CESU form and comes back as three U+FFFD.
    await expect(store.append('s-\ud800', [ev('Happened', 1)], 'any')).rejects.toThrow(/stream id.*Unicode/);
    await expect(store.append('s-ok', [ev('Happened\udc00', 2)], 'any')).rejects.toThrow(/event type.*Unicode/);
    // A well-formed pair (an emoji) and a NUL byte are stored and read back byte for byte.
    await store.append('s-\u{1F600}\u0000x', [ev('Happened \u{1F600}', 3)], 'any');
    await store.close();
    expect(verifyEventLog(file)).toMatchObject({ ok: true, events: 2 });
  });

  it('reports text bytes that are not UTF-8, even where they decode as the stored text did', async () => {
    const store = new SqliteEventStore({ file });
    for (let i = 0; i < 5; i++)
      await store.append('s', [{ ...ev('Happened', i), data: { note: `a \ufffd b ${i}` } }], 'any');
    await store.close();
    const db = new Database(file, { readonly: true });
    const data = db.prepare('select data from events where position = 3').pluck().get() as string;
    db.close();
    // 0xFF and the truncated F0 90 80 each decode to U+FFFD (EF BF BD): the same string, other bytes.
    for (const bytes of ['ff', 'f09080']) {
      const forged = Buffer.from(data).toString('hex').replace('efbfbd', bytes);
      tamper(`update events set data = cast(x'${forged}' as text) where position = 3`);
      expect(verifyEventLog(file).fault).toMatchObject({ position: 3, kind: 'altered' });
    }
    tamper(`update events set data = cast(x'${Buffer.from(data).toString('hex')}' as text) where position = 3`);
    expect(verifyEventLog(file)).toMatchObject({ ok: true, events: 5 });
  });

  it('reports a format-2 column given a type the ledger never writes as altered', async () => {
    await writeLog();
    tamper('update events set schema_version = 1.5 where position = 9');
    expect(verifyEventLog(file, { publicKey }).fault).toMatchObject({ position: 9, kind: 'altered' });
  });
});
