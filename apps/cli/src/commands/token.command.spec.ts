import { runToken } from './token.command';

describe('ledger token', () => {
  const base = {
    secret: 'a-secret-that-is-long-enough-0123456789',
    issuer: 'integral-help-ledger',
    role: 'admin',
    subject: 'admin-1',
  };

  it('mints no token the api would refuse for its lifetime (LEDGER_TOKEN_MAX_LIFETIME)', async () => {
    await expect(runToken({ ...base, expiresIn: '2h', maxLifetimeSeconds: 3600 })).rejects.toThrow(/--expires/);
    await expect(runToken({ ...base, expiresIn: '30m', maxLifetimeSeconds: 3600 })).resolves.toMatch(/^ey/);
  });
});
