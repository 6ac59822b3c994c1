import request from 'supertest';
import type { Browser } from 'playwright-core';
import { launchChromium, newPage, signInWithProvider } from './support/browser';
import { freePort, startOidcProvider, type TestOidcProvider } from './support/oidc-provider';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { buildWebApp } from './support/web-build';

jest.setTimeout(240_000);

describe('sign-in through a real OpenID provider (oidc-provider), in chromium', () => {
  let provider: TestOidcProvider;
  let t: LedgerTestApp;
  let browser: Browser;
  beforeAll(async () => {
    const port = await freePort();
    provider = await startOidcProvider(port);
    t = await startLedgerTestApp(
      undefined,
      { ...provider.env, LEDGER_WEB_DIR: buildWebApp(), LEDGER_PROJECT_FILE: 'projects/07-003-P-0001.json' },
      { port },
    );
    await seedProject(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.stop();
  });

  const cookieOf = async (page: import('playwright-core').Page) =>
    (await page.context().cookies()).find((c) => c.name === 'ihl_session');

  it.each([
    ['auditor-1', 'agency-auditor', undefined],
    ['finance-1', 'finance-officer', undefined],
    ['visaginas-user', 'partner-submitter', 'visaginas-spc'],
    ['admin-1', 'admin', undefined],
  ])(
    '%s signs in with the code flow + PKCE and gets the role (and partner) of its claims',
    async (login, role, partnerId) => {
      const { page, errors } = await newPage(browser, t.base);
      await signInWithProvider(page, t.base, login);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const me = await page.evaluate(() => fetch('/auth/me').then((r) => r.json()));
      expect(me).toMatchObject({
        signedIn: true,
        actor: { subject: login, role, ...(partnerId ? { partnerId } : {}) },
      });
      const cookie = await cookieOf(page);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      // The same actor as a bearer token with those claims: the partner sees its own progress only.
      const progress = await request(t.base)
        .get(url('/progress'))
        .set('Cookie', `ihl_session=${cookie!.value}`)
        .expect(200);
      expect(progress.body.partnerId).toBe(partnerId ?? null);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it('refuses an account whose role claim the ledger does not know, with a message on the sign-in page', async () => {
    const { page } = await newPage(browser, t.base);
    await page.goto(`${t.base}/sign-in`);
    await page.getByRole('link', { name: /tapatybės teikėją/ }).click();
    await page.locator('input[name="login"]').fill('stranger-1');
    await page.locator('input[name="password"]').fill('x');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: 'Continue' }).click();
    await page.waitForURL((u) => u.pathname === '/sign-in');
    await page.getByRole('alert').waitFor();
    expect(await cookieOf(page)).toBeUndefined();
    await page.context().close();
  });

  it('a callback with another browser’s state signs nobody in', async () => {
    const res = await request(t.base).get('/auth/callback?code=x&state=forged').set('Cookie', 'ihl_login=other');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in?error=state');
    expect(String(res.headers['set-cookie'])).not.toMatch(/ihl_session=[^;]/);
  });
});
