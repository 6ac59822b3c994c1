import { decodeJwt } from 'jose';
import { runDemoTokens, runToken } from './token.command';

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

  it('mints the demo tokens, one per role, with a partner behind only when one is named', async () => {
    const settings = { secret: base.secret, issuer: base.issuer, expiresIn: '8h' };
    const claims = (tokens: ReadonlyArray<readonly [string, string]>) =>
      tokens.map(([name, t]) => {
        const c = decodeJwt(t);
        return [name, c.sub, c.role, c.partnerId];
      });
    expect(claims(await runDemoTokens(settings))).toEqual([
      ['ADMIN', 'demo-admin', 'admin', undefined],
      ['AUDITOR', 'demo-auditor', 'agency-auditor', undefined],
      ['FINANCE', 'demo-finance', 'finance-officer', undefined],
      ['PARTNER', 'demo-visaginas', 'partner-submitter', 'visaginas-spc'],
    ]);
    const withBehind = await runDemoTokens({ ...settings, partnerBehind: 'zarasai-spc' });
    expect(claims(withBehind).at(-1)).toEqual([
      'PARTNER_BEHIND',
      'demo-zarasai-spc',
      'partner-submitter',
      'zarasai-spc',
    ]);
  });
});
