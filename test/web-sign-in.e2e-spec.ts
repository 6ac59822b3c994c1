import { statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { CODE, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const EXPENDITURE = {
  categoryId: 'staff',
  amount: '100.00',
  occurredOn: '2024-05-31',
  documentRef: 'INV-WEB-1',
  description: 'May salaries',
};

/** The session cookie ("ihl_session=…") of a Set-Cookie answer, and its attributes. */
function sessionCookie(res: request.Response): { pair: string; attributes: string } {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const line = cookies.find((c) => c.startsWith('ihl_session='));
  if (!line) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return { pair: line.split(';')[0]!, attributes: line };
}

describe('web sign-in (BFF): demo users, session cookie, CSRF, logout', () => {
  let t: LedgerTestApp;
  beforeAll(async () => {
    t = await startLedgerTestApp(undefined, {
      LEDGER_DEMO_USERS: 'on',
      LEDGER_PROJECT_FILE: 'projects/07-003-P-0001.json',
    });
    await seedProject(t);
  });
  afterAll(() => t.close());

  const signIn = async (user: string) =>
    sessionCookie(
      await request(t.base).post('/auth/demo').set('Sec-Fetch-Site', 'same-origin').send({ user }).expect(200),
    );

  it('tells the sign-in page what it offers before anyone signs in', async () => {
    const res = await request(t.base).get('/auth/me').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      signedIn: false,
      signIn: {
        oidc: false,
        demoUsers: [
          { subject: 'demo-auditor', role: 'agency-auditor' },
          { subject: 'demo-finance', role: 'finance-officer' },
          { subject: 'demo-visaginas', role: 'partner-submitter', partnerId: 'visaginas-spc' },
          { subject: 'demo-admin', role: 'admin' },
        ],
      },
      project: CODE,
    });
  });

  it('signs a demo user in with an http-only, SameSite=Lax cookie (not Secure over local http)', async () => {
    const res = await request(t.base)
      .post('/auth/demo')
      .set('Sec-Fetch-Site', 'same-origin')
      .send({ user: 'demo-auditor' })
      .expect(200);
    const { attributes } = sessionCookie(res);
    expect(attributes).toMatch(/; HttpOnly/);
    expect(attributes).toMatch(/; SameSite=Lax/);
    expect(attributes).toMatch(/; Path=\//);
    expect(attributes).not.toMatch(/Secure/);
    expect(res.body).toMatchObject({ signedIn: true, actor: { subject: 'demo-auditor', role: 'agency-auditor' } });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses an unknown demo user naming the field, and a sign-in posted from another site', async () => {
    const bad = await request(t.base).post('/auth/demo').send({ user: 'root' }).expect(400);
    expect(bad.body.message).toMatch(/user/);
    await request(t.base)
      .post('/auth/demo')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ user: 'demo-admin' })
      .expect(403);
  });

  it('the cookie reads the same /api/v1 routes as a token, with the same partner scoping', async () => {
    const partner = await signIn('demo-visaginas');
    const own = await request(t.base).get(url('/progress')).set('Cookie', partner.pair).expect(200);
    expect(own.body.partnerId).toBe('visaginas-spc');
    await request(t.base).get(url('/progress?partnerId=utena-spc')).set('Cookie', partner.pair).expect(403);
    // A partner reads its own budget (issue #18 item 7), never another partner's.
    const ownBudget = await request(t.base).get(url('/budget')).set('Cookie', partner.pair).expect(200);
    expect(ownBudget.body.partnerId).toBe('visaginas-spc');
    await request(t.base).get(url('/budget?partnerId=utena-spc')).set('Cookie', partner.pair).expect(403);
    const auditor = await signIn('demo-auditor');
    const all = await request(t.base).get(url('/progress')).set('Cookie', auditor.pair).expect(200);
    const byToken = await request(t.base).get(url('/progress')).set(t.as('auditor')).expect(200);
    expect(all.body).toEqual(byToken.body);
    await request(t.base).get(url('/budget')).set('Cookie', auditor.pair).expect(200);
  });

  it('refuses an unsafe request signed in by cookie without the CSRF token (403), writing nothing', async () => {
    const partner = await signIn('demo-visaginas');
    const me = await request(t.base).get('/auth/me').set('Cookie', partner.pair).expect(200);
    const csrf = me.body.csrfToken as string;
    const before = await request(t.base).get(url('/budget')).set(t.as('finance')).expect(200);
    const refused = await request(t.base).post(url('/expenditures')).set('Cookie', partner.pair).send(EXPENDITURE);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/X-CSRF-Token/);
    await request(t.base)
      .post(url('/expenditures'))
      .set('Cookie', partner.pair)
      .set('X-CSRF-Token', `${csrf.slice(0, -1)}x`)
      .send(EXPENDITURE)
      .expect(403);
    await request(t.base)
      .post(url('/expenditures'))
      .set('Cookie', partner.pair)
      .set('X-CSRF-Token', csrf)
      .set('Sec-Fetch-Site', 'cross-site')
      .send(EXPENDITURE)
      .expect(403);
    const after = await request(t.base).get(url('/budget')).set(t.as('finance')).expect(200);
    expect(after.body.total).toEqual(before.body.total);
    const written = await request(t.base)
      .post(url('/expenditures'))
      .set('Cookie', partner.pair)
      .set('X-CSRF-Token', csrf)
      .set('Sec-Fetch-Site', 'same-origin')
      .send(EXPENDITURE)
      .expect(201);
    const history = await request(t.base)
      .get(url(`/expenditures/${written.body.expenditureId}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(JSON.stringify(history.body)).toContain('demo-visaginas');
  });

  it('logout ends the session: the old cookie is worth nothing afterwards', async () => {
    const admin = await signIn('demo-admin');
    const csrf = (await request(t.base).get('/auth/me').set('Cookie', admin.pair).expect(200)).body.csrfToken;
    await request(t.base).post('/auth/logout').set('Cookie', admin.pair).expect(403);
    const out = await request(t.base)
      .post('/auth/logout')
      .set('Cookie', admin.pair)
      .set('X-CSRF-Token', csrf)
      .expect(204);
    expect(String(out.headers['set-cookie'])).toMatch(/ihl_session=;.*Expires=Thu, 01 Jan 1970/);
    await request(t.base).get(url('')).set('Cookie', admin.pair).expect(401);
    expect((await request(t.base).get('/auth/me').set('Cookie', admin.pair).expect(200)).body.signedIn).toBe(false);
  });
});

describe('web sign-in switches', () => {
  it('has no demo users unless LEDGER_DEMO_USERS=on, and no provider sign-in unless one is configured', async () => {
    const t = await startLedgerTestApp();
    try {
      await request(t.base).post('/auth/demo').send({ user: 'demo-admin' }).expect(404);
      await request(t.base).get('/auth/login').expect(404);
      expect((await request(t.base).get('/auth/me').expect(200)).body.signIn).toEqual({ oidc: false, demoUsers: [] });
    } finally {
      await t.close();
    }
  });

  it('marks the cookie Secure when users reach the ledger over https (LEDGER_PUBLIC_URL behind a proxy)', async () => {
    const t = await startLedgerTestApp(undefined, {
      LEDGER_DEMO_USERS: 'on',
      LEDGER_PUBLIC_URL: 'https://ledger.example.lt',
    });
    try {
      const res = await request(t.base).post('/auth/demo').send({ user: 'demo-admin' }).expect(200);
      expect(sessionCookie(res).attributes).toMatch(/; Secure/);
    } finally {
      await t.close();
    }
  });
});

describe('the session file', () => {
  it('is created 0600 like every data file', async () => {
    const t = await startLedgerTestApp(undefined, { LEDGER_DEMO_USERS: 'on' });
    try {
      await request(t.base).post('/auth/demo').send({ user: 'demo-admin' }).expect(200);
      expect(statSync(join(t.dir, 'sessions.sqlite')).mode & 0o777).toBe(0o600);
    } finally {
      await t.close();
    }
  });
});
