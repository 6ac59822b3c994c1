import { createHash, randomBytes } from 'node:crypto';
import { validateAppend } from '../append-validation';
import { randomRow, sqliteRow as row } from '../testing/chain-rows';
import type { EventRow } from './event-row.mapping';
import { ChainInputError, rowChainHash } from './row-chain-hash';

/** Format 2 written out the plain way, as an auditor would from docs/tamper-evidence.md. */
function reference(prev: Buffer, r: EventRow): Buffer {
  const int64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(n));
    return b;
  };
  const text = (s: string) => {
    const bytes = Buffer.from(s, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const parts = [prev, Buffer.from([2]), int64(r[0]), int64(r[2]), int64(r[5])];
  for (const s of [r[1], r[3], r[4], r[6], r[7], r[8]]) parts.push(text(s));
  return createHash('sha256').update(Buffer.concat(parts)).digest();
}

describe('rowChainHash (format 2)', () => {
  const cases: [string, EventRow][] = [
    ['an SQLite row', row()],
    ['Lithuanian and astral characters', row({ 1: 'Molėtai, Anykščiai 😀', 6: '{"n":"ąčęėįšųūž\u2028"}' })],
    ['empty texts', row({ 6: '', 7: '', 8: '' })],
    ['integers beyond 32 bits and negative ones', row({ 0: 2 ** 40 + 3, 2: -1, 5: Number.MAX_SAFE_INTEGER })],
    ['texts larger than the reused buffer', row({ 6: 'x'.repeat(70_000), 7: 'ž'.repeat(50_000) })],
  ];

  it.each(cases)('hashes %s as the documented byte layout', (_name, r) => {
    const prev = randomBytes(32);
    expect(rowChainHash(prev, r).equals(reference(prev, r))).toBe(true);
  });

  it('hashes random rows, chained one to the next, byte for byte as the plain definition does', () => {
    let fast: Buffer = randomBytes(32);
    let plain = fast;
    for (let i = 0; i < 400; i++) {
      const r = randomRow(Math.random);
      fast = rowChainHash(fast, r);
      plain = reference(plain, r);
      // On a mismatch the row is printed, so it can be replayed.
      if (!fast.equals(plain)) expect({ r, fast: fast.toString('hex') }).toEqual({ r, fast: plain.toString('hex') });
    }
    expect(fast.equals(plain)).toBe(true);
  });

  it('never sees a lone surrogate in the columns an append names: it is refused before any step', () => {
    // A lone surrogate would reach the file as other bytes (CESU) than the step's UTF-8 (U+FFFD).
    const ev = { eventId: '00000000-0000-4000-8000-000000000001', type: 'Happened', data: {} };
    expect(() => validateAppend('s-\ud800', [ev], 'any')).toThrow(/stream id.*Unicode/);
    expect(() => validateAppend('s', [{ ...ev, type: 'Happened\udc00' }], 'any')).toThrow(/event type.*Unicode/);
    // In data and metadata JSON.stringify escapes it (`\udc00` as six ASCII characters).
    expect(JSON.stringify({ n: '\udc00' })).toBe('{"n":"\\udc00"}');
  });

  it('gives different hashes when bytes move from one column to the next', () => {
    const prev = randomBytes(32);
    const a = rowChainHash(prev, row({ 3: 'ab', 4: 'c' }));
    const b = rowChainHash(prev, row({ 3: 'a', 4: 'bc' }));
    expect(a.equals(b)).toBe(false);
  });

  it('keeps earlier results intact when the buffer is reused', () => {
    const first = rowChainHash(randomBytes(32), row());
    const copy = Buffer.from(first);
    rowChainHash(first, row({ 6: 'y'.repeat(100_000) }));
    expect(first.equals(copy)).toBe(true);
  });

  it.each([
    ['a number in a text column', { 6: 5 }],
    ['a blob in a text column', { 7: Buffer.from('{}') }],
    ['a fraction in an integer column', { 5: 1.5 }],
    ['text in an integer column', { 2: '0' }],
  ])('refuses %s, which the ledger never writes', (_name, over) => {
    expect(() => rowChainHash(randomBytes(32), row(over))).toThrow(ChainInputError);
  });
});
