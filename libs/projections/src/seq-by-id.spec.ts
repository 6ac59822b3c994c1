import fc from 'fast-check';
import { SeqById } from './seq-by-id';

describe('SeqById', () => {
  it('finds every key added, through growth, and nothing else', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 12 }), { maxLength: 300 }), fc.string(), (keys, other) => {
        const index = new SeqById(3); // not a power of two: rounded up
        const byKey = new Map(keys.map((k, i) => [k, i + 1]));
        keys.forEach((k, i) => index.add(k, i + 1));
        // The caller confirms against the real key of the candidate, as the runner does with the row.
        const confirmFor = (k: string) => (seq: number) => keys[seq - 1] === k;
        for (const k of keys) expect(index.find(k, confirmFor(k))).toBe(byKey.get(k));
        if (!byKey.has(other)) expect(index.find(other, confirmFor(other))).toBeNull();
      }),
    );
  });

  it('tells colliding candidates apart with the confirmation', () => {
    const index = new SeqById(4);
    index.add('x', 1);
    index.add('x', 2); // the same hashes twice: only the confirmation can choose
    expect(index.find('x', (seq) => seq === 2)).toBe(2);
    expect(index.find('x', () => false)).toBeNull();
  });
});
