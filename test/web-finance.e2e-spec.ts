import { join } from 'node:path';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from './support/axe';
import { launchChromium, newPage, signInAsDemo } from './support/browser';
import { startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { buildWebApp } from './support/web-build';
import { seedWebScenario } from './support/web-scenario';

jest.setTimeout(240_000);
const SCREENSHOTS = join(__dirname, '../docs/screenshots');
const lt = (s: string) => s.replace(/\s/g, ' ');
const cents = (amount: string) => BigInt(amount.replace('.', ''));
const FINANCE = /finansininkas|finance officer/;
const AUDITOR = /agentūros auditorius|agency auditor/;
const PARTNER = /partnerio darbuotojas|partner staff/;

describe('the finance pages in chromium: budget, queue, register', () => {
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

  const open = async (role: RegExp, path: string, locale: 'lt' | 'en' = 'lt') => {
    const opened = await newPage(browser, t.base, locale);
    await signInAsDemo(opened.page, t.base, role);
    await opened.page.goto(`${t.base}${path}`);
    return opened;
  };
  const figure = async (page: Page, name: string) => lt(await page.locator(`[data-figure="${name}"]`).innerText());
  const budgetOf = async () => (await request(t.base).get(url('/budget')).set(t.as('finance')).expect(200)).body;

  it.each(['lt', 'en'] as const)(
    'the budget page: matrix, reconciliation, burn chart; axe passes (%s)',
    async (locale) => {
      const { page, errors } = await open(FINANCE, '/finance', locale);
      await page.locator('.chart[data-rendered="true"] canvas').waitFor();
      const budget = await budgetOf();
      expect(await figure(page, 'envelope')).toBe(locale === 'lt' ? '43 940 212,00 €' : '€43,940,212.00');
      if (locale === 'lt') {
        expect(await figure(page, 'allocated')).toBe('2 324 500,50 €');
        expect(await figure(page, 'unallocated')).toBe('41 615 711,50 €');
        expect(await figure(page, 'pending')).toBe('45 000,00 €');
        expect(budget.spending.forecastAtEnd).toBe('785740.68');
        expect(await figure(page, 'forecast-at-end')).toBe('785 740,68 €');
      }
      // The totals shown are the API's; the cells add up to them to the cent.
      const allocated = async (selector: string) =>
        page.locator(selector).evaluateAll((tds) => tds.map((td) => td.getAttribute('data-allocated') ?? '0.00'));
      const cells = await allocated('[data-cell^="cell-"]');
      expect(cells.length).toBe(2 * 7);
      const cellSum = cells.reduce((s, a) => s + cents(a), 0n);
      expect(cellSum).toBe(cents(budget.total.allocated));
      const rows = await allocated('[data-cell^="row-"]');
      expect(rows.reduce((s, a) => s + cents(a), 0n)).toBe(cellSum);
      const columns = await allocated('[data-cell^="column-"]');
      expect(columns.reduce((s, a) => s + cents(a), 0n)).toBe(cellSum);
      expect(await page.locator('[data-cell="grand"]').getAttribute('data-allocated')).toBe(budget.total.allocated);
      expect(await page.locator('[data-cell="row-visaginas-spc"]').getAttribute('data-allocated')).toBe('1334500.50');
      // Reconciliation: a status in words per partner.
      const status = lt(await page.locator('table[data-table="reconciliation"] tbody').innerText());
      expect(status).toMatch(
        locale === 'lt' ? /Viskas patikrinta[\s\S]*Laukia patikrinimo/ : /All verified[\s\S]*Awaiting verification/,
      );
      expect(lt((await page.locator('.chart[role="img"]').getAttribute('aria-label')) ?? '')).toContain(
        locale === 'lt' ? '168 456,78 €' : '€168,456.78',
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `finance-${locale}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it('the navigation offers the finance pages to finance and the agency, not to a partner', async () => {
    for (const [role, offered] of [
      [FINANCE, true],
      [AUDITOR, true],
      [PARTNER, false],
    ] as const) {
      const { page } = await open(role, '/');
      await page.getByRole('navigation', { name: 'Pagrindinis meniu' }).waitFor();
      expect(await page.getByRole('link', { name: 'Finansai' }).count()).toBe(offered ? 1 : 0);
      await page.context().close();
    }
  });

  it.each(['/finance'])(
    'a partner typing %s gets a plain "not available", no figures',
    async (path) => {
      const { page, errors } = await open(PARTNER, path);
      await page.getByRole('heading', { level: 1, name: 'Šis puslapis jums neprieinamas.' }).waitFor();
      expect(await page.locator('[data-figure], table').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      if (path === '/finance') await page.screenshot({ path: join(SCREENSHOTS, 'finance-partner-lt.png') });
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
