import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { LedgerCheckpoint } from '../event-store.port';
import { esdbCheckpointToken, findEsdbCheckpointToken } from '../esdb/esdb-checkpoint.token';
import { chainTailReader } from './hash-chain';

/** A signed checkpoint (the port's LedgerCheckpoint): signed over checkpointMessage(). */
export type Checkpoint = LedgerCheckpoint;

/** The signed bytes: a fixed text, so that any Ed25519 tool can check a checkpoint. */
export function checkpointMessage(c: Pick<Checkpoint, 'position' | 'hash' | 'takenAt'>): Buffer {
  return Buffer.from(`ihl-checkpoint/1\n${c.position}\n${c.hash}\n${c.takenAt}\n`, 'utf8');
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function verifyCheckpointSignature(c: Checkpoint, publicKey: KeyObject): boolean {
  return verify(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
}

interface CheckpointRow {
  position: number;
  hash: Buffer;
  taken_at: string;
  key_id: string;
  signature: Buffer;
}

function fromRow(r: CheckpointRow): Checkpoint {
  return {
    position: r.position,
    hash: r.hash.toString('hex'),
    takenAt: r.taken_at,
    keyId: r.key_id,
    signature: r.signature.toString('base64'),
  };
}

/** Every checkpoint in the file, oldest first. */
export function readCheckpoints(db: Database.Database): Checkpoint[] {
  return db.prepare<[], CheckpointRow>('select * from checkpoints order by position').all().map(fromRow);
}

/** The newest checkpoint at or below `position` (null: none). */
export function checkpointAtOrBelow(db: Database.Database, position: number): Checkpoint | null {
  const r = db
    .prepare<[number], CheckpointRow>('select * from checkpoints where position <= ? order by position desc limit 1')
    .get(position);
  return r ? fromRow(r) : null;
}

/**
 * Signs the chain's head and keeps the checkpoint in the file; answers the existing one when the head
 * is already signed; null on an empty log or when the last row has no hash (never sign a foreign row). The private key is never stored: only what checks it.
 */
export function takeCheckpoint(db: Database.Database, privateKey: KeyObject, now: Date): Checkpoint | null {
  const tail = chainTailReader(db);
  return db
    .transaction(() => {
      const t = tail();
      if (t.position === 0 || !t.hash) return null;
      const existing = checkpointAtOrBelow(db, t.position);
      if (existing?.position === t.position) return existing;
      const unsigned = { position: t.position, hash: t.hash.toString('hex'), takenAt: now.toISOString() };
      const signature = sign(null, checkpointMessage(unsigned), privateKey);
      const keyId = keyIdOf(createPublicKey(privateKey));
      db.prepare('insert into checkpoints (position, hash, taken_at, key_id, signature) values (?, ?, ?, ?, ?)').run(
        t.position,
        t.hash,
        unsigned.takenAt,
        keyId,
        signature,
      );
      return { ...unsigned, keyId, signature: signature.toString('base64') };
    })
    .immediate();
}

const TOKEN = /IHL-CHECKPOINT\/1:(\d+):([0-9a-f]{64}):([0-9T:.Z-]{24}):([0-9a-f]{16}):([A-Za-z0-9+/]{86}==)/;

/** One line of text that carries a checkpoint inside a file (an export, a report's metadata). */
export function checkpointToken(c: Checkpoint): string {
  if (c.esdb) return esdbCheckpointToken({ ...c, esdb: c.esdb });
  return `IHL-CHECKPOINT/1:${c.position}:${c.hash}:${c.takenAt}:${c.keyId}:${c.signature}`;
}

/** The first checkpoint token in a text, SQLite's or EventStoreDB's (null: none); the signature is not checked here. */
export function findCheckpointToken(text: string): Checkpoint | null {
  const m = TOKEN.exec(text);
  if (!m) return findEsdbCheckpointToken(text);
  return { position: Number(m[1]), hash: m[2]!, takenAt: m[3]!, keyId: m[4]!, signature: m[5]! };
}
