// Code splitting (#17): ECharts is a script chunk of its own, fetched only by a page with a chart.
import type { Browser } from 'playwright-core';
import { newPage, signInAsDemo } from './support/browser';
import { url, type LedgerTestApp } from './support/ledger-test-app';
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

  it('the HTML preloads the session and the overview reads of the signed-in role, and the page takes them', async () => {
    const cookieOf = async (user: string) => {
      const res = await fetch(`${t.base}/auth/demo`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user }),
      });
      return res.headers.get('set-cookie')!.split(';')[0]!;
    };
    const preloads = async (path: string, cookie?: string) => {
      const page = await (await fetch(`${t.base}${path}`, cookie ? { headers: { Cookie: cookie } } : {})).text();
      return [...page.matchAll(/<link rel="preload" href="([^"]+)" as="fetch" crossorigin>/g)].map((m) => m[1]);
    };
    const project = url('');
    const auditor = await cookieOf('demo-auditor');
    for (const path of ['/', '/overview'])
      expect(await preloads(path, auditor)).toEqual(['/auth/me', project, `${project}/progress`, `${project}/budget`]);
    // A partner may not read the budget; signed out, or on another page, or as of a day: the session only.
    expect(await preloads('/', await cookieOf('demo-visaginas'))).toEqual(['/auth/me', project, `${project}/progress`]);
    expect(await preloads('/')).toEqual(['/auth/me']);
    expect(await preloads('/finance', auditor)).toEqual(['/auth/me']);
    expect(await preloads('/?asOf=2024-06-01', auditor)).toEqual(['/auth/me']);

    // In the browser each of them is fetched once: the app's own reads took the preloaded answers.
    const { page, errors } = await newPage(browser, t.base);
    const [name, value] = auditor.split('=');
    await page.context().addCookies([{ name: name!, value: value!, url: t.base }]);
    const reads: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path === '/auth/me' || path.startsWith(project)) reads.push(path);
    });
    await page.goto(`${t.base}/`);
    await page.locator('.chart[data-rendered="true"] canvas').waitFor();
    for (const path of ['/auth/me', project, `${project}/progress`, `${project}/budget`])
      expect(reads.filter((r) => r === path)).toEqual([path]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
