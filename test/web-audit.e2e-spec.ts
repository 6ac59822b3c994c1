import { join } from 'node:path';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from './support/axe';
import { launchChromium, newPage, signInAsDemo } from './support/browser';
import { lithuanianCode, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { buildWebApp } from './support/web-build';
import { seedWebScenario } from './support/web-scenario';

jest.setTimeout(300_000);
const SCREENSHOTS = join(__dirname, '../docs/screenshots');
const spaces = (s: string) => s.replace(/\s/g, ' ');

describe('the as-of picker, the audit explorer, record histories and alerts in chromium', () => {
  let t: LedgerTestApp;
  let browser: Browser;
  // The app's clock: the web scenario is recorded on 10 June, three more persons on 15 June.
  const now = new Date('2024-06-10T10:00:00Z');
  beforeAll(async () => {
    t = await startLedgerTestApp(now, {
      LEDGER_DEMO_USERS: 'on',
      LEDGER_WEB_DIR: buildWebApp(),
      LEDGER_PROJECT_FILE: 'projects/07-003-P-0001.json',
    });
    await seedWebScenario(t);
    now.setTime(Date.parse('2024-06-15T10:00:00Z'));
    for (const serial of ['901', '902', '903'])
      await request(t.base)
        .post(url('/activities/service-deliveries'))
        .set(t.as('partnerA'))
        .send({
          occurredOn: '2024-06-14',
          service: 'care',
          targetGroup: 'elderly',
          setting: 'home',
          durationMinutes: 30,
          recipient: { personalCode: lithuanianCode(`4450301${serial}`) },
        })
        .expect(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const figure = async (page: Page, name: string) => spaces(await page.locator(`[data-figure="${name}"]`).innerText());
  const openOverview = async (role: RegExp, locale: 'lt' | 'en' = 'lt') => {
    const opened = await newPage(browser, t.base, locale);
    await signInAsDemo(opened.page, t.base, role);
    await opened.page.locator('.chart[data-rendered="true"] canvas').waitFor();
    return opened;
  };

  it('the as-of picker shows an earlier figure on the overview, then back to now', async () => {
    const { page, errors } = await openOverview(/agentūros auditorius/);
    expect(await figure(page, 'persons-reached')).toBe('45');
    await page.getByLabel('Būklė dienai').fill('2024-06-10');
    await page.getByRole('button', { name: 'Rodyti', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('asOf') === '2024-06-10');
    await page.getByRole('status').getByText('Rodoma būklė 2024-06-10 dienos pabaigoje.').waitFor();
    await page.locator('[data-figure="persons-reached"]', { hasText: '42' }).waitFor();
    await page.locator('.chart[data-rendered="true"] canvas').waitFor();
    // A reload keeps the day: it is in the address.
    await page.reload();
    await page.locator('[data-figure="persons-reached"]', { hasText: '42' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-as-of-lt.png'), fullPage: true });
    await page.getByRole('link', { name: 'Grįžti į dabartinę būklę' }).click();
    await page.waitForURL((u) => !u.searchParams.has('asOf'));
    await page.locator('[data-figure="persons-reached"]', { hasText: '45' }).waitFor();
    expect(await page.getByRole('status').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the as-of picker works by keyboard and in English', async () => {
    const { page, errors } = await openOverview(/agentūros auditorius|agency auditor/, 'en');
    await page.getByLabel('State on day').focus();
    await page.keyboard.type('06102024');
    expect(await page.getByLabel('State on day').inputValue()).toMatch(/^2024-(06-10|10-06)$/);
    await page.getByLabel('State on day').fill('2024-06-10');
    await page.keyboard.press('Enter');
    await page.getByText('Showing the state at the end of 2024-06-10.').waitFor();
    await page.locator('[data-figure="persons-reached"]', { hasText: '42' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Current state' }).click();
    await page.locator('[data-figure="persons-reached"]', { hasText: '45' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
