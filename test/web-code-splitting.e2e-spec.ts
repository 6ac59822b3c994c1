// Code splitting (#17): ECharts is a script chunk of its own, fetched only by a page with a chart.
import type { Browser } from 'playwright-core';
import { newPage, signInAsDemo } from './support/browser';
import type { LedgerTestApp } from './support/ledger-test-app';
import { startWebTestApp } from './support/web-test-app';

jest.setTimeout(240_000);

describe('pages without a chart never load ECharts (chromium)', () => {
  let t: LedgerTestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ t, browser } = await startWebTestApp());
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the records, queue and register load no chart chunk; the overview and the budget page do, and draw', async () => {
    const { page, errors } = await newPage(browser, t.base);
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    // Straight to a page without a chart, signed in as finance (the demo sign-in lands on the
    // overview, so the session is made in another page of the same context).
    const signIn = await page.context().newPage();
    await signInAsDemo(signIn, t.base, /finansininkas/);
    await signIn.close();
    for (const path of ['/finance/queue', '/finance/register', '/partners/visaginas-spc/records']) {
      await page.goto(`${t.base}${path}`);
      await page.locator('main h1, main table').first().waitFor();
      await page.waitForLoadState('networkidle');
    }
    expect(scripts.some((s) => /^\/assets\/app-[A-Z0-9]{8}\.js$/.test(s))).toBe(true);
    expect(scripts.filter((s) => s.includes('echarts'))).toEqual([]);
    for (const path of ['/', '/finance']) {
      await page.goto(`${t.base}${path}`);
      await page.locator('.chart[data-rendered="true"] canvas').waitFor();
    }
    expect(scripts.filter((s) => /^\/assets\/chunks\/echarts-setup-[A-Z0-9]{8}\.js$/.test(s)).length).toBe(2);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
