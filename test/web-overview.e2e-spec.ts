import { join } from 'node:path';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from './support/axe';
import { launchChromium, newPage, signInAsDemo } from './support/browser';
import { lithuanianCode, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { buildWebApp } from './support/web-build';
import { postCareVisit, seedWebScenario } from './support/web-scenario';

jest.setTimeout(240_000);
type SessionAnswer = { signedIn: boolean; actor: { role: string } };
const SCREENSHOTS = join(__dirname, '../docs/screenshots');
const lt = (s: string) => s.replace(/\s/g, ' ');
const ltMoney = (amount: string) =>
  `${new Intl.NumberFormat('lt-LT').format(BigInt(amount.split('.')[0]!))},${amount.split('.')[1]} €`;

describe('the overview in chromium: figures, chart, languages, accessibility', () => {
  let t: LedgerTestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startLedgerTestApp(undefined, {
      LEDGER_DEMO_USERS: 'on',
      LEDGER_WEB_DIR: buildWebApp(),
      LEDGER_PROJECT_FILE: 'projects/07-003-P-0001.json',
    });
    await seedWebScenario(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const figure = async (page: Page, name: string) => lt(await page.locator(`[data-figure="${name}"]`).innerText());
  const openOverview = async (role: RegExp, locale: 'lt' | 'en' = 'lt') => {
    const opened = await newPage(browser, t.base, locale);
    await signInAsDemo(opened.page, t.base, role);
    await opened.page.locator('.chart[data-rendered="true"] canvas').waitFor();
    return opened;
  };

  it('the sign-in page offers a demo user per role and passes axe in both languages', async () => {
    for (const locale of ['lt', 'en'] as const) {
      const { page, errors } = await newPage(browser, t.base, locale);
      await page.goto(`${t.base}/`);
      await page.waitForURL((u) => u.pathname === '/sign-in');
      await page.getByRole('heading', { level: 1, name: locale === 'lt' ? 'Prisijungimas' : 'Sign in' }).waitFor();
      expect(await page.getByRole('button', { name: /Prisijungti kaip|Sign in as/ }).count()).toBe(4);
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `sign-in-${locale}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('shows the agency the figures of /progress and /budget, formatted the Lithuanian way', async () => {
    const { page, errors } = await openOverview(/agentūros auditorius/);
    const progress = (await request(t.base).get(url('/progress')).set(t.as('auditor')).expect(200)).body;
    const budget = (await request(t.base).get(url('/budget')).set(t.as('auditor')).expect(200)).body;
    expect(await figure(page, 'persons-reached')).toBe(
      new Intl.NumberFormat('lt-LT').format(progress.personsReached).replace(/\s/g, ' '),
    );
    expect(progress.personsReached).toBe(42);
    expect(await figure(page, 'target')).toBe('4 018');
    expect(await figure(page, 'envelope')).toBe('43 940 212,00 €');
    expect(await figure(page, 'allocated')).toBe(lt(ltMoney(budget.total.allocated)));
    expect(await figure(page, 'allocated')).toBe('2 324 500,50 €');
    expect(await figure(page, 'declared')).toBe('168 456,78 €');
    expect(await figure(page, 'eligible')).toBe('120 000,00 €');
    // Both partners, by name, each with a status in words (colour is not the only signal).
    const rows = page.locator('table[data-table="partners"] tbody tr');
    await page.getByRole('cell', { name: '2024-06-15' }).first().waitFor();
    expect(await rows.count()).toBe(2);
    const text = lt(await rows.allInnerTexts().then((r) => r.join('\n')));
    expect(text).toContain('Visagino socialinių paslaugų centras');
    // A partner registered after the project, by name too.
    expect(text).toContain('Utenos rajono socialinių paslaugų centras');
    expect(text).not.toContain('utena-spc');
    expect(text).toMatch(/Pagal planą|Atsilieka/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-lt.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches to English, keeps the choice, and passes axe there too', async () => {
    const { page, errors } = await openOverview(/agentūros auditorius/);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Project overview' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Project overview' }).waitFor();
    await page.locator('.chart[data-rendered="true"] canvas').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await figure(page, 'envelope')).toBe('€43,940,212.00');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-en.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('is usable by keyboard: the skip link comes first and leads to the content', async () => {
    const { page } = await openOverview(/agentūros auditorius/);
    await page.reload();
    await page.locator('.chart[data-rendered="true"] canvas').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Pereiti prie turinio');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('location.hash')).toBe('#main');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('main');
    // The chart has a text alternative and its figures as a table.
    expect(await page.locator('.chart[role="img"]').getAttribute('aria-label')).toMatch(/42 asmen/);
    await page.getByText('Grafiko duomenys lentele').click();
    expect(await page.locator('details table tbody tr').count()).toBeGreaterThan(12);
    await page.context().close();
  });

  it('a record submitted shows on the overview; a partner sees its own figures and no budget', async () => {
    const { page, errors } = await openOverview(/partnerio darbuotojas/);
    const own = (await request(t.base).get(url('/progress')).set(t.as('partnerA')).expect(200)).body;
    expect(await figure(page, 'persons-reached')).toBe(String(own.personsReached));
    expect(await page.locator('table[data-table="partners"] tbody tr').count()).toBe(1);
    await page.getByText('Biudžeto duomenys šiam vaidmeniui nerodomi.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-partner-lt.png'), fullPage: true });
    await postCareVisit(t, lithuanianCode('4450301999'));
    await page.reload();
    await page.locator('.chart[data-rendered="true"] canvas').waitFor();
    expect(await figure(page, 'persons-reached')).toBe(String(own.personsReached + 1));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it.each([
    [/agentūros auditorius/, 'agency-auditor'],
    [/finansininkas/, 'finance-officer'],
    [/partnerio darbuotojas/, 'partner-submitter'],
    [/administratorius/, 'admin'],
  ])('the demo user %s signs in with its role and the overview renders', async (label, role) => {
    const { page, errors } = await openOverview(label);
    const me = await page.evaluate(() => fetch('/auth/me').then((r) => r.json() as Promise<SessionAnswer>));
    expect(me.actor.role).toBe(role);
    expect(Number(await figure(page, 'persons-reached'))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a partner reaches no other partner’s figures from its page, nor another’s budget, whatever it asks', async () => {
    const { page } = await openOverview(/partnerio darbuotojas/);
    const statuses = await page.evaluate(
      async (paths) => Promise.all(paths.map((p) => fetch(p).then((r) => r.status))),
      [url('/progress?partnerId=utena-spc'), url('/volumes?partnerId=utena-spc'), url('/budget?partnerId=utena-spc')],
    );
    expect(statuses).toEqual([403, 403, 403]);
    // Its own budget it reads (issue #18): only its own lines.
    const ownBudget = await page.evaluate(async (p) => {
      const r = await fetch(p);
      return { status: r.status, body: (await r.json()) as { lines: { partnerId: string }[] } };
    }, url('/budget'));
    expect(ownBudget.status).toBe(200);
    expect(new Set(ownBudget.body.lines.map((l) => l.partnerId))).toEqual(new Set(['visaginas-spc']));
    // The audit trail answers a partner with its own records only, whatever partner it names.
    const [asked, own] = await page.evaluate(
      async (paths) =>
        Promise.all(paths.map((p) => fetch(p).then((r) => r.json() as Promise<{ totalEvents: number }>))),
      [url('/audit?figure=volumes&partnerId=utena-spc'), url('/audit?figure=volumes')],
    );
    expect(asked.totalEvents).toBe(own.totalEvents);
    expect(JSON.stringify(asked)).not.toContain('utena');
    await page.context().close();
  });

  it.each(['lt', 'en'] as const)('an unknown page says so and passes axe (%s)', async (locale) => {
    const { page, errors } = await newPage(browser, t.base, locale);
    await signInAsDemo(page, t.base, /agentūros auditorius|agency auditor/);
    await page.goto(`${t.base}/no-such-page`);
    await page
      .getByRole('heading', { level: 1, name: locale === 'lt' ? 'Tokio puslapio nėra.' : 'There is no such page.' })
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('signing out ends the session and leads back to the sign-in page', async () => {
    const { page } = await openOverview(/finansininkas/);
    await page.getByRole('button', { name: 'Atsijungti' }).click();
    await page.waitForURL((u) => u.pathname === '/sign-in');
    const me = await page.evaluate(() => fetch('/auth/me').then((r) => r.json() as Promise<SessionAnswer>));
    expect(me.signedIn).toBe(false);
    await page.context().close();
  });
});
