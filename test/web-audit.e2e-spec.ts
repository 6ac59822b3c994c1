import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { CommandBus } from '@nestjs/cqrs';
import { RunChecksCommand } from '@ihl/application';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from './support/axe';
import { launchChromium, newPage, signInAsDemo } from './support/browser';
import { lithuanianCode, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { buildWebApp } from './support/web-build';
import { postCareVisit, seedWebScenario } from './support/web-scenario';

jest.setTimeout(300_000);
const SCREENSHOTS = join(__dirname, '../docs/screenshots');
const spaces = (s: string) => s.replace(/\s/g, ' ');

describe('the as-of picker, the audit explorer, record histories and alerts in chromium', () => {
  let t: LedgerTestApp;
  let browser: Browser;
  // The app's clock: the web scenario is recorded on 10 June, nine more persons on 15 June.
  const now = new Date('2024-06-10T10:00:00Z');
  beforeAll(async () => {
    t = await startLedgerTestApp(now, {
      LEDGER_DEMO_USERS: 'on',
      LEDGER_WEB_DIR: buildWebApp(),
      LEDGER_PROJECT_FILE: 'projects/07-003-P-0001.json',
    });
    await seedWebScenario(t);
    now.setTime(Date.parse('2024-06-15T10:00:00Z'));
    for (const serial of ['901', '902', '903', '904', '905', '906', '907', '908', '909'])
      await postCareVisit(t, lithuanianCode(`4450301${serial}`));
    // The scheduled checks, run in-process on 15 June: both partners are behind their lines, and
    // the quarters that ended before May are not locked.
    await t.app
      .get(CommandBus)
      .execute(
        new RunChecksCommand(
          '07-003-P-0001',
          { verificationDays: 30, periodLockDays: 30, silentPartnerDays: 30 },
          { actor: { subject: 'scheduled-checks', role: 'admin' }, correlationId: 'web-audit-test' },
        ),
      );
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
    expect(await figure(page, 'persons-reached')).toBe('51');
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
    await page.locator('[data-figure="persons-reached"]', { hasText: '51' }).waitFor();
    expect(await page.getByRole('status').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the as-of picker works by keyboard and in English', async () => {
    const { page, errors } = await openOverview(/agentūros auditorius|agency auditor/, 'en');
    await page.getByLabel('State on day').focus();
    await page.keyboard.type('2024.06.10');
    await page.keyboard.press('Tab'); // leaving the field writes the day as yyyy-mm-dd
    expect(await page.getByLabel('State on day').inputValue()).toBe('2024-06-10');
    await page.getByLabel('State on day').fill('2024-06-10');
    await page.keyboard.press('Enter');
    await page.getByText('Showing the state at the end of 2024-06-10.').waitFor();
    await page.locator('[data-figure="persons-reached"]', { hasText: '42' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Current state' }).click();
    await page.locator('[data-figure="persons-reached"]', { hasText: '51' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a figure on the overview leads to the events behind it, and a record to its history', async () => {
    const { page, errors } = await openOverview(/agentūros auditorius/);
    const audit = (await request(t.base).get(url('/audit?figure=persons-reached')).set(t.as('auditor')).expect(200))
      .body;
    await page.locator('[data-figure="persons-reached"] a').click();
    await page.waitForURL((u) => u.pathname === '/audit' && u.searchParams.get('figure') === 'persons-reached');
    await page.getByRole('heading', { level: 1, name: 'Audito naršyklė' }).waitFor();
    expect(spaces(await figure(page, 'audit-total'))).toBe(`Iš viso įvykių: ${audit.totalEvents}.`);
    const rows = page.locator('table[data-table="audit-events"] tbody tr');
    expect(await rows.count()).toBe(50);
    expect(await rows.first().innerText()).toContain('Suteikta paslauga');
    expect(await rows.first().innerText()).toContain('visaginas-user (partnerio darbuotojas)');
    // The partner by its name, once the project's partners are read.
    await rows.first().getByRole('cell', { name: 'Visagino socialinių paslaugų centras', exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-lt.png'), fullPage: true });
    // By keyboard: the next page, then back.
    await page.getByRole('button', { name: 'Kitas puslapis' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Rodomi 51–${audit.totalEvents} iš ${audit.totalEvents}`).waitFor();
    await page.getByRole('button', { name: 'Ankstesnis puslapis' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Rodomi 1–50 iš ${audit.totalEvents}`).waitFor();
    // A record's history: every event of its stream, who, when and what.
    await rows.first().getByRole('link').click();
    await page.waitForURL((u) => /^\/records\/[0-9a-f-]{36}\/history$/.test(u.pathname));
    await page.getByRole('heading', { level: 1, name: 'Įrašo istorija' }).waitFor();
    const history = page.locator('table[data-table="record-history"] tbody tr');
    await history.first().waitFor();
    expect(await history.first().innerText()).toContain('Suteikta paslauga');
    expect(await history.first().innerText()).toMatch(/Paslauga: care/);
    expect(await page.locator('main').innerText()).not.toMatch(/\d{11}/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'record-history-lt.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a partner’s figure opens its events; the list downloads as CSV; the as-of day applies there too', async () => {
    const { page, errors } = await openOverview(/agentūros auditorius/);
    await page
      .locator('table[data-table="partners"] tbody tr a[href^="/audit"][href*="partnerId=utena-spc"]')
      .first()
      .click();
    await page.waitForURL((u) => u.pathname === '/audit' && u.searchParams.get('partnerId') === 'utena-spc');
    const utena = (
      await request(t.base).get(url('/audit?figure=persons-reached&partnerId=utena-spc')).set(t.as('auditor'))
    ).body;
    expect(await figure(page, 'audit-total')).toBe(`Iš viso įvykių: ${utena.totalEvents}.`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV formatu', exact: true }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^position,event_id,type,stream,revision,recorded_at/);
    expect(csv).toHaveLength(utena.totalEvents + 1);
    const [workbook] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Excel darbaknyge (XLSX)' }).click(),
    ]);
    expect(workbook.suggestedFilename()).toMatch(/^audit-.*-persons-reached-after0-at-\d+\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await workbook.path())!);
    expect(book.getWorksheet('Įvykiai')!.rowCount).toBe(utena.totalEvents + 1);
    // Another figure by the form, with the keyboard.
    await page.getByLabel('Rodiklis').selectOption('budget');
    await page.getByRole('button', { name: 'Rodyti įvykius' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('figure') === 'budget');
    await page
      .locator('table[data-table="audit-events"] tbody tr', { hasText: 'Išlaida deklaruota' })
      .first()
      .waitFor();
    // As of 10 June: the nine persons recorded on the 15th are not behind the figure yet.
    await page.goto(`${t.base}/audit?figure=persons-reached&asOf=2024-06-10`);
    const then = (await request(t.base).get(url('/audit?figure=persons-reached&asOf=2024-06-10')).set(t.as('auditor')))
      .body;
    await page.getByText(`Iš viso įvykių: ${then.totalEvents}.`).waitFor();
    expect(then.totalEvents).toBeLessThan(51);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the audit explorer and a history in English pass axe', async () => {
    const { page, errors } = await openOverview(/agentūros auditorius|agency auditor/, 'en');
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit explorer' }).waitFor();
    await page.locator('table[data-table="audit-events"] tbody tr').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-en.png'), fullPage: true });
    await page.locator('table[data-table="audit-events"] tbody tr').first().getByRole('link').click();
    await page.locator('table[data-table="record-history"] tbody tr').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a certificate’s and a partner’s workforce history open on the record history page, who and what', async () => {
    const certificateId = '7b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
    await request(t.base)
      .post(url('/certifications'))
      .set(t.as('auditor'))
      .send({
        certificateId,
        partnerId: 'visaginas-spc',
        scheme: 'equass-assurance',
        services: ['care'],
        validFrom: '2023-03-24',
        validTo: '2025-03-23',
        certifyingBody: 'EQUASS (EPR)',
        certificateRef: 'EQUASS-A-2023-7',
      })
      .expect(201);
    await request(t.base)
      .post(url('/workforce/workers'))
      .set(t.as('partnerA'))
      .send({ workerRef: 'W-hist', teamRef: 'T-1', role: 'assistant', startedOn: '2024-02-01' })
      .expect(201);
    const { page, errors } = await openOverview(/agentūros auditorius/);
    const rows = page.locator('table[data-table="record-history"] tbody tr');
    await page.goto(`${t.base}/records/${certificateId}/history?record=certificate`);
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('EQUASS-A-2023-7');
    expect(await page.locator('.record-facts').innerText()).toContain('Kokybės sertifikatas');
    expect(await page.locator('.record-facts').innerText()).toContain('visaginas-spc');
    expect(await page.getByRole('link', { name: 'Istoriją CSV formatu' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${t.base}/records/visaginas-spc/history?record=workforce`);
    await page.locator('.record-facts').getByText('Darbuotojai ir paslaugų nutraukimas').waitFor();
    await rows.first().waitFor();
    expect(await rows.last().innerText()).toContain('W-hist');
    // A certificate id that is no UUID never reaches the API.
    await page.goto(`${t.base}/records/visaginas-spc/history?record=certificate`);
    await page.getByRole('alert').getByText('Šis įrašas jums neprieinamas arba jo nėra.').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a partner editing the address to another partner’s record gets "not available", and no budget figure', async () => {
    const list = (await request(t.base).get(url('/activities?partnerId=utena-spc&limit=1')).set(t.as('auditor'))).body;
    const other = list.records[0].id as string;
    const { page } = await openOverview(/partnerio darbuotojas/);
    await page.goto(`${t.base}/records/${other}/history?record=activity`);
    await page.getByRole('alert').getByText('Šis įrašas jums neprieinamas arba jo nėra.').waitFor();
    expect(await page.locator('main').innerText()).not.toContain('utena');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${t.base}/audit`);
    await page.locator('table[data-table="audit-events"] tbody tr').first().waitFor();
    expect(await page.getByLabel('Rodiklis').locator('option').allInnerTexts()).toEqual([
      'Pasiekti asmenys',
      'Paslaugų apimtys',
    ]);
    expect(await page.getByLabel('Partneris').count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toContain('utena');
    await page.goto(`${t.base}/audit?figure=budget`);
    await page.getByRole('alert').getByText('Šis puslapis jums neprieinamas.').waitFor();
    await page.context().close();
  });

  it('the overview lists the open alerts in words; a partner its own; none as of a day before them', async () => {
    const open = (await request(t.base).get(url('/alerts')).set(t.as('auditor')).expect(200)).body;
    expect(open.total).toBeGreaterThan(2);
    const { page, errors } = await openOverview(/agentūros auditorius/);
    const rows = page.locator('table[data-table="alerts"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(Math.min(open.total, 20));
    const text = spaces(await rows.allInnerTexts().then((r) => r.join('\n')));
    expect(text).toContain('Partneris atsilieka nuo planuotos kreivės');
    expect(text).toContain('Pasibaigęs ataskaitinis laikotarpis neužrakintas · laikotarpis 2023-Q1');
    expect(text).toMatch(/Svarbu\s+Visagino socialinių paslaugų centras/);
    expect(text).toContain('2024-06-15');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('section[aria-labelledby="alerts-title"]').screenshot({
      path: join(SCREENSHOTS, 'overview-alerts-lt.png'),
    });
    await page.getByLabel('Būklė dienai').fill('2024-06-10');
    await page.keyboard.press('Enter');
    await page.getByText('Atvirų įspėjimų nėra.').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();

    const partner = await openOverview(/partnerio darbuotojas/);
    const own = partner.page.locator('table[data-table="alerts"] tbody tr');
    await own.first().waitFor();
    const ownText = await own.allInnerTexts().then((r) => r.join('\n'));
    expect(ownText).toContain('Partneris atsilieka nuo planuotos kreivės');
    expect(ownText).not.toContain('utena');
    expect(ownText).not.toContain('laikotarpis');
    expect(await axeViolations(partner.page)).toEqual([]);
    await partner.page.context().close();
  });
});
