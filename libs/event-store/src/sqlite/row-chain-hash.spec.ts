import { createHash, randomBytes } from 'node:crypto';
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

const row = (over: Partial<Record<number, unknown>> = {}): EventRow => {
  const r: unknown[] = [
    7,
    'service-1',
    0,
    'e-1',
    'ServiceDelivered',
    2,
    '{"note":"a \\"quoted\\" line"}',
    '{}',
    '2026-12-07T09:00:00.000Z',
  ];
  for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
  return r as EventRow;
};

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
