import fc from 'fast-check';
import { deterministicId, legacyDeterministicId } from './deterministic-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deterministicId', () => {
  it('is an RFC 9562 version-8 UUID (variant 10), whatever the scope and key', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (scope, key) => {
        const m = UUID.exec(deterministicId(scope, key));
        expect(m).not.toBeNull();
        expect(m![1]).toBe('8');
        expect(['8', '9', 'a', 'b']).toContain(m![2]);
      }),
      { numRuns: 500 },
    );
  });

  it('is the same for the same scope and key, and differs with either', () => {
    const id = deterministicId('activity:P:a', 'visit-2024-04-10-0');
    expect(deterministicId('activity:P:a', 'visit-2024-04-10-0')).toBe(id);
    expect(deterministicId('activity:P:b', 'visit-2024-04-10-0')).not.toBe(id);
    expect(deterministicId('activity:P:a', 'visit-2024-04-10-1')).not.toBe(id);
  });

  it('keeps the bits of the ids written before, only the version nibble differs', () => {
    // A record of test/fixtures/legacy-ledger, written by 1da6e4d with Idempotency-Key visit-2024-04-10-0.
    const scope = 'activity:07-003-P-0001:visaginas-spc';
    expect(legacyDeterministicId(scope, 'visit-2024-04-10-0')).toBe('de4a6e69-6aeb-578c-82f0-6733194390f3');
    expect(deterministicId(scope, 'visit-2024-04-10-0')).toBe('de4a6e69-6aeb-878c-82f0-6733194390f3');
  });
});
