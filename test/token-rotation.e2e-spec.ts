import request from 'supertest';
import { mintToken } from '@ihl/auth';
import { ConfigError, loadApiConfig } from '@ihl/config';
import { TEST_KEYS, startLedgerTestApp } from './support/ledger-test-app';

// The api after a rotation of LEDGER_JWT_SECRET: the test app's tokens were signed with the secret
// that is now the previous one.
const OLD = 'test-secret-that-is-long-enough-0123456789'; // what startLedgerTestApp signs with
const NEW = 'the-rotated-in-secret-of-the-ledger-98765';

describe('LEDGER_JWT_PREVIOUS_SECRETS: tokens of a rotated-out secret, until they expire', () => {
  it('accepts old and new tokens while the old secret is listed as previous', async () => {
    const t = await startLedgerTestApp(undefined, { LEDGER_JWT_SECRET: NEW, LEDGER_JWT_PREVIOUS_SECRETS: OLD });
    try {
      // Past the token and role checks: the empty body is what is refused.
      await request(t.base).post('/api/v1/projects').set(t.as('admin')).send({}).expect(400);
      const fresh = await mintToken({ secret: NEW, issuer: 'integral-help-ledger' }, { subject: 'a-2', role: 'admin' });
      await request(t.base).post('/api/v1/projects').set('Authorization', `Bearer ${fresh}`).send({}).expect(400);
    } finally {
      await t.close();
    }
  });

  it('refuses the old tokens (401) once the previous secret is dropped', async () => {
    const t = await startLedgerTestApp(undefined, { LEDGER_JWT_SECRET: NEW });
    try {
      const res = await request(t.base).post('/api/v1/projects').set(t.as('admin')).send({}).expect(401);
      expect(res.body.message).toBe('Authorization: token signature or claims are invalid');
    } finally {
      await t.close();
    }
  });

  it('stops at start naming the variable when a previous secret is weak or the current one', () => {
    const env = { ...TEST_KEYS, LEDGER_JWT_SECRET: NEW };
    expect(() => loadApiConfig({ ...env, LEDGER_JWT_PREVIOUS_SECRETS: 'short' })).toThrow(ConfigError);
    expect(() => loadApiConfig({ ...env, LEDGER_JWT_PREVIOUS_SECRETS: `${OLD},short` })).toThrow(
      'configuration: LEDGER_JWT_PREVIOUS_SECRETS must be comma-separated secrets of at least 32 characters each',
    );
    expect(() => loadApiConfig({ ...env, LEDGER_JWT_PREVIOUS_SECRETS: NEW })).toThrow(
      'configuration: LEDGER_JWT_PREVIOUS_SECRETS must not hold the current LEDGER_JWT_SECRET',
    );
    expect(loadApiConfig({ ...env, LEDGER_JWT_PREVIOUS_SECRETS: ` ${OLD} ` }).jwtPreviousSecrets).toEqual([OLD]);
  });
});
