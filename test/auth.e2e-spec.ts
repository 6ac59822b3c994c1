import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { SignJWT, exportSPKI } from 'jose';
import { loadApiConfig } from '@ihl/config';
import { mintToken } from '@ihl/auth';
import { SqliteEventStore } from '@ihl/event-store';
import { JwksTestServer } from '../libs/auth/src/testing/jwks-test-server';
import { createApiApp } from '@ihl/http-api';

const definition = JSON.parse(readFileSync(join(__dirname, '../projects/07-003-P-0001.json'), 'utf8'));
const SECRET = 'e2e-secret-that-is-long-enough-0123456789';
const READS_PER_MINUTE = 3;
const ANONYMOUS_PER_MINUTE = 30;

describe('bearer tokens from an issuer JWKS, rate-limited per token (HTTP)', () => {
  let dir: string;
  let idp: JwksTestServer;
  let store: SqliteEventStore;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-auth-e2e-'));
    idp = await JwksTestServer.start();
    // The secret stays configured: with a JWKS URL it must be ignored, not used as a fallback.
    const config = {
      ...loadApiConfig({
        LEDGER_JWT_SECRET: SECRET,
        DATA_DIR: dir,
        LEDGER_PSEUDONYM_KEY: '1'.repeat(64),
        LEDGER_PROFILE_MASTER_KEY: '2'.repeat(64),
      }),
      jwksUrl: idp.jwksUrl,
      jwtIssuer: idp.issuer,
      jwtAudience: idp.audience,
      rateLimitReadsPerMinute: READS_PER_MINUTE,
      rateLimitWritesPerMinute: 5,
      rateLimitAnonymousPerMinute: ANONYMOUS_PER_MINUTE,
    };
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    app = await createApiApp({ config, eventStore: store, logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await idp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const token = (sub: string, role: string, extra: Record<string, unknown> = {}) => idp.sign({ sub, role, ...extra });
  const getProject = (bearer: string) =>
    request(base).get('/api/v1/projects/07-003-P-0001').set('Authorization', `Bearer ${bearer}`);

  it('accepts tokens the issuer signed: registers the project and reads it back', async () => {
    const admin = await token('admin-1', 'admin');
    await request(base)
      .post('/api/v1/projects')
      .set('Authorization', `Bearer ${admin}`)
      .set('Content-Type', 'application/json')
      .send(definition)
      .expect(201);
    const partner = await token('visaginas-user', 'partner-submitter', { partnerId: 'visaginas-spc' });
    const res = await getProject(partner).expect(200);
    expect(res.body).toMatchObject({ code: '07-003-P-0001', envelope: '43940212.00' });
    const [event] = await store.readStream('project-07-003-P-0001');
    expect(event!.metadata).toMatchObject({ actor: { subject: 'admin-1', role: 'admin' } });
  });

  it('refuses forged, foreign, expired and embedded-default tokens with 401', async () => {
    const stranger = await idp.newKey();
    const publishedKid = idp.keys[0]!.kid;
    const forged = [
      await idp.sign({ sub: 'm', role: 'admin' }, { key: stranger, kid: publishedKid }), // unpublished key
      await idp.sign({ sub: 'm', role: 'admin' }, { key: stranger }), // unknown kid
      await idp.sign({ sub: 'm', role: 'admin' }, { issuer: 'https://evil.test' }),
      await idp.sign({ sub: 'm', role: 'admin' }, { audience: 'another-api' }),
      await idp.sign({ sub: 'm', role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      await idp.sign({ sub: 'm', role: 'partner-submitter' }), // no partner id
      // A 100-year admin token, and one "issued" a year from now: longer than the 12 h allowed.
      await idp.sign({ sub: 'm', role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) + 100 * 365 * 86_400 }),
      await idp.sign(
        { sub: 'm', role: 'admin' },
        {
          issuedAt: Math.floor(Date.now() / 1000) + 365 * 86_400,
          expiresIn: Math.floor(Date.now() / 1000) + 365 * 86_400 + 3600,
        },
      ),
      await idp.sign({ sub: 'm', role: 'admin' }, { issuedAt: null }), // no iat
      // HS256 with the shared secret: valid in the embedded default, not once a JWKS is configured.
      await mintToken({ secret: SECRET, issuer: idp.issuer }, { subject: 'm', role: 'admin' }),
      // HS256 keyed with the issuer's public key (algorithm confusion).
      await new SignJWT({ sub: 'm', role: 'admin' })
        .setProtectedHeader({ alg: 'HS256', kid: publishedKid })
        .setIssuer(idp.issuer)
        .setAudience(idp.audience)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(await exportSPKI(idp.keys[0]!.publicKey))),
    ];
    for (const bearer of forged) {
      const res = await getProject(bearer).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, message: expect.stringMatching(/token/) });
    }
  });

  it('answers 429 with Retry-After once one token is over its limit, while another token is still served', async () => {
    const busy = await token('auditor-busy', 'agency-auditor');
    const calm = await token('auditor-calm', 'agency-auditor');
    for (let i = 0; i < READS_PER_MINUTE; i++) await getProject(busy).expect(200);
    const limited = await getProject(busy).expect(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/rate limit/),
    });
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(120);
    await getProject(calm).expect(200);
    // Same subject, another role: another token, another budget.
    await getProject(await token('auditor-busy', 'finance-officer')).expect(200);
    // A fresh token for the same subject and role shares the budget: the limit is not dodged by re-login.
    await getProject(await token('auditor-busy', 'agency-auditor')).expect(429);
  });

  it('limits requests without a valid token per address, without touching token budgets or the health probe', async () => {
    // Forged tokens from one address (signed with a key the issuer never published).
    const forged = await idp.sign(
      { sub: 'mallory', role: 'admin' },
      { key: await idp.newKey(), kid: idp.keys[0]!.kid },
    );
    let status = 401;
    let sent = 0;
    while (status !== 429 && sent <= ANONYMOUS_PER_MINUTE) {
      status = (await getProject(forged)).status;
      sent++;
    }
    expect(status).toBe(429);
    const res = await request(base).get('/api/v1/projects/07-003-P-0001').expect(429); // no token: counted per IP
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    // The probe keeps answering from the same address, and spends nothing of the address's budget.
    for (let i = 0; i < ANONYMOUS_PER_MINUTE + 5; i++) {
      const health = await request(base).get('/health').expect(200);
      expect(health.headers['retry-after']).toBeUndefined();
    }
    await request(base).head('/health').expect(200);
    await getProject(forged).expect(429);
    await getProject(await token('auditor-fresh', 'agency-auditor')).expect(200);
  });
});
