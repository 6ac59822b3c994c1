import { ProfileIntegrityError, SharedKeyStoreUnavailableError } from '@ihl/privacy';
import { tolerantOpener } from './read-models-projections';

describe('tolerantOpener (the persons-reached projection opening sealed profiles)', () => {
  it('counts an unreadable profile as unknown, and tells', () => {
    let unreadable = 0;
    const open = tolerantOpener(
      () => {
        throw new ProfileIntegrityError('tampered');
      },
      () => (unreadable += 1),
    );
    expect(open('p1_x', 'v1.a.b.c')).toBeNull();
    expect(unreadable).toBe(1);
  });

  it('fails the batch when the shared key store did not answer, so it is retried, not counted unknown', () => {
    let unreadable = 0;
    const open = tolerantOpener(
      () => {
        throw new SharedKeyStoreUnavailableError('no answer within 10000 ms');
      },
      () => (unreadable += 1),
    );
    expect(() => open('p1_x', 'v1.a.b.c')).toThrow(SharedKeyStoreUnavailableError);
    expect(unreadable).toBe(0);
  });

  it('passes what opens through', () => {
    expect(
      tolerantOpener(
        () => ({ sex: 'female' }),
        () => undefined,
      )('p1_x', 's'),
    ).toEqual({ sex: 'female' });
  });
});
