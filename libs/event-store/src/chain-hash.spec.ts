import { createHash, randomBytes } from 'node:crypto';
import { GENESIS_HASH, chainHash } from './chain-hash';
import { rowChainHash } from './sqlite/row-chain-hash';
import type { JsonValue } from './event-store.port';
import { randomRow, sqliteRow } from './testing/chain-rows';

/** The chain's definition, written out the plain way: every ledger already on disk is chained with it. */
function reference(prev: Buffer, fields: readonly JsonValue[]): Buffer {
  return createHash('sha256').update(prev).update(JSON.stringify(fields)).digest();
}

describe('chainHash', () => {
  const cases: [string, JsonValue[]][] = [
    ['an SQLite row', sqliteRow()],
    ['Lithuanian and astral characters', ['Molėtai, Anykščiai 😀', 'ąčęėįšųūž', '\u2028']],
    ['a lone surrogate', ['\ud800 alone']],
    ['an empty list', []],
    ['fields larger than the reused buffer', ['x'.repeat(70_000), 'ž'.repeat(50_000)]],
  ];

  it.each(cases)('hashes %s exactly as SHA-256(previous || JSON text) does', (_name, fields) => {
    const prev = randomBytes(32);
    expect(chainHash(prev, fields).equals(reference(prev, fields))).toBe(true);
  });

  it('chains from genesis and keeps earlier results intact when the buffer is reused', () => {
    const first = chainHash(GENESIS_HASH, ['one']);
    const copy = Buffer.from(first);
    const second = chainHash(first, ['two'.repeat(40_000)]);
    expect(first.equals(copy)).toBe(true);
    expect(second.equals(reference(reference(GENESIS_HASH, ['one']), ['two'.repeat(40_000)]))).toBe(true);
  });

  it('hashes random rows byte for byte as the plain definition, sharing its buffer with format 2 steps', () => {
    let prev = GENESIS_HASH;
    for (let i = 0; i < 300; i++) {
      const r = randomRow(Math.random);
      // A format-2 step in between leaves its own, longer input in the shared buffer.
      rowChainHash(prev, randomRow(Math.random));
      const next = chainHash(prev, r);
      // On a mismatch the row is printed, so it can be replayed.
      if (!next.equals(reference(prev, r))) expect({ r, hash: next.toString('hex') }).toBe(null);
      prev = next;
    }
    expect(prev.equals(GENESIS_HASH)).toBe(false);
  });
});
