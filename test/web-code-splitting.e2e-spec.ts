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

  it('the pages with a chart preload the ECharts chunk in their HTML; the others preload only what the entry imports', async () => {
    const html = async (path: string) => (await fetch(`${t.base}${path}`)).text();
    const preloads = (page: string) =>
      [...page.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
    for (const path of ['/', '/overview', '/finance'])
      expect(
        preloads(await html(path)).some((href) => /^\/assets\/chunks\/echarts-setup-[A-Z0-9]{8}\.js$/.test(href!)),
      ).toBe(true);
    for (const path of ['/sign-in', '/finance/queue', '/partners/visaginas-spc/records', '/audit']) {
      const hrefs = preloads(await html(path));
      expect(hrefs.filter((href) => href!.includes('echarts'))).toEqual([]);
      // Each preloaded script is served (a wrong name would cost a 404 on every page).
      for (const href of hrefs) expect((await fetch(`${t.base}${href}`)).status).toBe(200);
    }
  });
});
