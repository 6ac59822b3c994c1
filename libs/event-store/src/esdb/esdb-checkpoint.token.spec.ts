import { generateKeyPairSync, sign } from 'node:crypto';
import { checkpointToken, findCheckpointToken } from '../sqlite/checkpoint.signer';
import {
  EsdbCheckpointCache,
  esdbCheckpointMessage,
  fromLedgerCheckpoint,
  toLedgerCheckpoint,
  verifyEsdbCheckpointSignature,
  type EsdbCheckpoint,
} from './esdb-checkpoint';

const esdb: EsdbCheckpoint = {
  position: 1_234_567,
  headsDigest: 'ab'.repeat(32),
  streams: 3,
  previous: 'cd'.repeat(32),
  takenAt: '2024-06-15T10:00:00.000Z',
  keyId: '0123456789abcdef',
  signature: `${'A'.repeat(86)}==`,
};
const sqlite = {
  position: 40,
  hash: 'ef'.repeat(32),
  takenAt: esdb.takenAt,
  keyId: esdb.keyId,
  signature: esdb.signature,
};

describe('EventStoreDB checkpoint token', () => {
  it('carries every signed field, so the checkpoint comes back whole from the token alone', () => {
    const token = checkpointToken(toLedgerCheckpoint(esdb));
    expect(token).toBe(
      `IHL-ESDB-CHECKPOINT/1:1234567:${esdb.headsDigest}:3:${esdb.previous}:${esdb.takenAt}:${esdb.keyId}:${esdb.signature}`,
    );
    const found = findCheckpointToken(`# IHL-POSITION/1:1234600 ${token}`);
    expect(found && fromLedgerCheckpoint(found)).toEqual(esdb);
  });

  it('is told apart from the SQLite token, both ways', () => {
    const s = findCheckpointToken(`x ${checkpointToken(sqlite)} y`);
    expect(s).toEqual(sqlite);
    expect(fromLedgerCheckpoint(s!)).toBeNull();
    expect(findCheckpointToken(checkpointToken(toLedgerCheckpoint(esdb)))?.esdb).toEqual({
      streams: 3,
      previous: esdb.previous,
    });
    expect(findCheckpointToken(checkpointToken(toLedgerCheckpoint(esdb)).replace(':3:', ':x:'))).toBeNull();
  });

  it('a signature made over the message checks from the token read back, and not once a digit changed', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signed = { ...esdb, signature: sign(null, esdbCheckpointMessage(esdb), privateKey).toString('base64') };
    const token = checkpointToken(toLedgerCheckpoint(signed));
    expect(verifyEsdbCheckpointSignature(fromLedgerCheckpoint(findCheckpointToken(token)!)!, publicKey)).toBe(true);
    const forged = fromLedgerCheckpoint(findCheckpointToken(token.replace(':3:', ':4:'))!)!;
    expect(verifyEsdbCheckpointSignature(forged, publicKey)).toBe(false);
  });
});

describe('EsdbCheckpointCache', () => {
  it('finds the newest at or below a position, reading only what was appended since', async () => {
    const stream: (EsdbCheckpoint | null)[] = [{ ...esdb, position: 10 }, null, { ...esdb, position: 30 }];
    const reads: number[] = [];
    const cache = new EsdbCheckpointCache(async (from) => {
      reads.push(from);
      return stream.slice(from);
    });
    expect(await cache.atOrBelow(5)).toBeNull();
    expect((await cache.atOrBelow(29))?.position).toBe(10);
    stream.push({ ...esdb, position: 50 });
    expect((await cache.atOrBelow(1e9))?.position).toBe(50);
    expect((await cache.all()).map((c) => c.position)).toEqual([10, 30, 50]);
    expect(reads).toEqual([0, 3, 3, 4]);
  });

  it('two lookups at once read the new checkpoints once, and a failed read is tried again', async () => {
    const stream: EsdbCheckpoint[] = [
      { ...esdb, position: 10 },
      { ...esdb, position: 30 },
    ];
    let fail = true;
    const cache = new EsdbCheckpointCache(async (from) => {
      await new Promise((r) => setImmediate(r));
      if (fail) {
        fail = false;
        throw new Error('server away');
      }
      return stream.slice(from);
    });
    await expect(cache.all()).rejects.toThrow('server away');
    const [a, b] = await Promise.all([cache.atOrBelow(100), cache.all()]);
    expect(a?.position).toBe(30);
    expect(b.map((c) => c.position)).toEqual([10, 30]);
  });
});
