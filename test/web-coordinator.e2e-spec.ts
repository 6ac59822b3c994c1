// The coordinator report page (issue #19 item 5) in chromium: a partner's own report for a quarter
// in Lithuanian and English, with the API's figures and its download links; the agency picks the
// partner; finance is told the report is not for it. Each page passes axe.
import { join } from 'node:path';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { axeViolations } from './support/axe';
import { launchChromium, newPage, signInAsDemo } from './support/browser';
import { lithuanianCode, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { buildWebApp } from './support/web-build';
import { seedWebScenario } from './support/web-scenario';

jest.setTimeout(240_000);
const SCREENSHOTS = join(__dirname, '../docs/screenshots');
const spaces = (s: string) => s.replace(/\s/g, ' ');
const AUDITOR = /agentūros auditorius|agency auditor/;
const PARTNER = /partnerio darbuotojas|partner staff/;
const FINANCE = /finansininkas|finance officer/;

describe('the coordinator report page in chromium', () => {
  let t: LedgerTestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startLedgerTestApp(undefined, {
      LEDGER_DEMO_USERS: 'on',
      LEDGER_WEB_DIR: buildWebApp(),
      LEDGER_PROJECT_FILE: 'projects/07-003-P-0001.json',
    });
    // 21 services of partner A in 2024-Q2 (45 minutes each, no worker, each a new person), then a
    // worker with two timed services, a vacancy and a service ended.
    await seedWebScenario(t);
    const post = (path: string, body: object) =>
      request(t.base).post(url(path)).set(t.as('partnerA')).send(body).expect(201);
    await post('/workforce/workers', {
      workerRef: 'W-1',
      teamRef: 'T-north',
      role: 'assistant',
      startedOn: '2024-01-02',
    });
    const timed = (code: string, occurredOn: string, startTime: string, endTime: string) =>
      post('/activities/service-deliveries', {
        occurredOn,
        service: 'care',
        targetGroup: 'elderly',
        setting: 'home',
        recipient: { personalCode: lithuanianCode(code) },
        workerRef: 'W-1',
        startTime,
        endTime,
      });
    await timed('3400101700', '2024-05-13', '08:00', '09:30');
    await timed('3400101701', '2024-05-14', '13:00', '14:00');
    await post('/workforce/positions', {
      positionRef: 'P-1',
      teamRef: 'T-north',
      role: 'nurse',
      vacatedOn: '2024-05-31',
    });
    const last = await post('/service-endings', {
      recipient: { personalCode: lithuanianCode('3400101700') },
      endedOn: '2024-06-10',
      reason: 'moved-away',
    });
    await request(t.base)
      .get(url(`/volumes?position=${last.body.position}`))
      .set(t.as('auditor'))
      .expect(200);
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

  it.each(['lt', 'en'] as const)('a partner sees its own quarter, as the API answers it (%s)', async (locale) => {
    const { page, errors } = await open(PARTNER, '/coordinator?period=2024-Q2', locale);
    await page.locator('table[data-table="workers"]').waitFor();
    const api = (
      await request(t.base).get(url('/coordinator-reports?period=2024-Q2')).set(t.as('partnerA')).expect(200)
    ).body;
    // By hand: 21 × 45 + 90 + 60 minutes = 18.25 hours; 23 services, 23 persons, all new to the partner.
    expect([api.totals, api.newPersons]).toEqual([{ services: 23, hours: 18.25, persons: 23 }, 23]);
    const figure = async (name: string) => spaces(await page.locator(`[data-figure="${name}"]`).innerText());
    expect(await figure('hours')).toBe(locale === 'lt' ? '18,25' : '18.25');
    expect(await figure('services')).toBe('23');
    expect(await figure('new-persons')).toBe('23');
    expect(await figure('open-at-end')).toBe('1');
    const w1 = spaces(await page.locator('tr[data-worker="W-1"]').innerText());
    expect(w1).toContain('08:00–09:30 (1); 13:00–14:00 (1)');
    expect(w1).toContain(locale === 'lt' ? 'Asistentas' : 'Assistant');
    const moved = spaces(await page.locator('tr[data-reason="moved-away"]').innerText());
    expect(moved).toMatch(locale === 'lt' ? /Išvyko\s+1/ : /Moved away\s+1/);
    const xlsx = await page.getByRole('link', { name: 'Excel (XLSX)' }).getAttribute('href');
    expect(xlsx).toBe(url('/coordinator-reports?period=2024-Q2&partnerId=visaginas-spc&format=xlsx'));
    const file = await request(t.base).get(xlsx!).set(t.as('partnerA')).expect(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `coordinator-${locale}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the agency picks the partner; finance is told the report is not for it', async () => {
    const agency = await open(AUDITOR, '/coordinator?period=2024-Q2');
    await agency.page.locator('p', { hasText: 'Pasirinkite partnerį.' }).waitFor();
    await agency.page.getByRole('link', { name: 'Koordinatorius' }).waitFor();
    await agency.page.getByLabel('Partneris').selectOption('visaginas-spc');
    await agency.page.locator('table[data-table="workers"]').waitFor();
    expect(spaces(await agency.page.locator('[data-figure="hours"]').innerText())).toBe('18,25');
    expect(await axeViolations(agency.page)).toEqual([]);
    expect(agency.errors).toEqual([]);
    await agency.page.context().close();
    const finance = await open(FINANCE, '/coordinator');
    await finance.page.getByText('Koordinatoriaus ataskaita šiam vaidmeniui neprieinama.').waitFor();
    expect(await finance.page.locator('table').count()).toBe(0);
    await finance.page.context().close();
  });
});
