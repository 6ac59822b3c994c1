import { join } from 'node:path';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import type { JobWorker } from '@ihl/jobs';
import { axeViolations } from './support/axe';
import { launchChromium, newPage, signInAsDemo } from './support/browser';
import { lithuanianCode, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { startReportWorker } from './support/report-worker';
import { buildWebApp } from './support/web-build';
import { seedWebScenario } from './support/web-scenario';

jest.setTimeout(240_000);
const SCREENSHOTS = join(__dirname, '../docs/screenshots');
const PARTNER = /partnerio darbuotojas|partner staff/;
const AUDITOR = /agentūros auditorius|agency auditor/;
const lt = (s: string) => s.replace(/\s/g, ' ');
/** Console errors but the refusals a page expects (a refused form, another partner's page). */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of (400|403|404|422)/.test(e));

describe('the partner pages in chromium: home, forms, records, import, scoping', () => {
  let t: LedgerTestApp;
  let redis: RedisServer;
  let worker: JobWorker;
  let browser: Browser;
  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, {
      LEDGER_DEMO_USERS: 'on',
      LEDGER_WEB_DIR: buildWebApp(),
      LEDGER_PROJECT_FILE: 'projects/07-003-P-0001.json',
      REDIS_URL: redis.url,
    });
    await seedWebScenario(t);
    worker = await startReportWorker(redis.url, t.app, t.dir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await redis?.stop();
  });

  const signedIn = async (role: RegExp, locale: 'lt' | 'en' = 'lt') => {
    const opened = await newPage(browser, t.base, locale);
    await signInAsDemo(opened.page, t.base, role);
    return opened;
  };
  /** Axe in this state of the page, then its screenshot. */
  const checkAndShoot = async (page: Page, name: string) => {
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  const figure = async (page: Page, name: string) => lt(await page.locator(`[data-figure="${name}"]`).innerText());

  it.each(['lt', 'en'] as const)(
    'a partner reaches its home from the menu: its figures and its own budget (%s)',
    async (locale) => {
      const { page, errors } = await signedIn(PARTNER, locale);
      await page.getByRole('link', { name: locale === 'lt' ? 'Mano organizacija' : 'My organisation' }).click();
      await page.waitForURL((u) => u.pathname === '/partners/visaginas-spc');
      await page.locator('[data-figure="partner-reached"]').waitFor();
      const own = (await request(t.base).get(url('/progress')).set(t.as('partnerA')).expect(200)).body;
      expect(await figure(page, 'partner-reached')).toBe(String(own.personsReached));
      const ownBudget = (
        await request(t.base).get(url('/budget?partnerId=visaginas-spc')).set(t.as('partnerA')).expect(200)
      ).body;
      await page.locator('[data-figure="partner-budget"]').waitFor();
      expect(ownBudget.total.allocated).toBe('1334500.50');
      expect(lt(await figure(page, 'partner-budget'))).toContain(locale === 'lt' ? '1 334 500,50 €' : '€1,334,500.50');
      expect(await page.getByRole('link', { name: /naują įrašą|new record/ }).count()).toBe(1);
      await checkAndShoot(page, `partner-home-${locale}`);
      expect(unexpected(errors)).toEqual([]);
      await page.context().close();
    },
  );

  it('the agency opens a partner from the overview’s table and sees its budget, and no submit buttons', async () => {
    const { page, errors } = await signedIn(AUDITOR);
    await page.getByRole('link', { name: 'Visagino socialinių paslaugų centras' }).click();
    await page.waitForURL((u) => u.pathname === '/partners/visaginas-spc');
    const budget = (await request(t.base).get(url('/budget?partnerId=visaginas-spc')).set(t.as('auditor')).expect(200))
      .body;
    const dl = lt(await figure(page, 'partner-budget'));
    expect(budget.total.allocated).toBe('1334500.50');
    expect(dl).toContain('1 334 500,50 €');
    expect(await page.getByRole('link', { name: /naują įrašą/ }).count()).toBe(0);
    await checkAndShoot(page, 'partner-home-agency-lt');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  /** The service delivery form, filled in as a person would (by the labels). */
  const fillServiceDelivery = async (page: Page, minutes: string, personalCode: string) => {
    await page.getByLabel('Data', { exact: true }).fill('2024-06-14');
    await page.getByLabel('Paslauga', { exact: true }).selectOption('care');
    await page.getByLabel('Tikslinė grupė').selectOption('elderly');
    await page.getByLabel('Kur suteikta').selectOption('home');
    await page.getByLabel('Trukmė minutėmis').fill(minutes);
    await page.getByLabel('Gavėjo asmens kodas').fill(personalCode);
  };

  it('a service delivery submitted through the form shows in the overview’s persons reached', async () => {
    const { page, errors } = await signedIn(PARTNER);
    await page.locator('[data-figure="persons-reached"]').waitFor();
    const before = Number(await figure(page, 'persons-reached'));
    await page.getByRole('link', { name: 'Mano organizacija' }).click();
    await page.getByRole('link', { name: 'Pateikti naują įrašą' }).click();
    await page.waitForURL((u) => u.pathname === '/partners/visaginas-spc/new');
    const code = page.getByLabel('Gavėjo asmens kodas');
    expect(await code.getAttribute('autocomplete')).toBe('off');
    await fillServiceDelivery(page, '45', lithuanianCode('4450301777'));
    await page.getByRole('button', { name: 'Išsaugoti įrašą' }).click();
    await page.getByText('Įrašas išsaugotas.').waitFor();
    const id = await page.locator('[data-saved-id]').innerText();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // The form is cleared, and the code is nowhere on the page.
    expect(await code.inputValue()).toBe('');
    expect(await page.getByLabel('Trukmė minutėmis').inputValue()).toBe('');
    expect(await page.content()).not.toContain(lithuanianCode('4450301777'));
    await checkAndShoot(page, 'record-form-saved-lt');
    // A visit with its times and no minutes: the ledger keeps the times and their span (same person).
    await fillServiceDelivery(page, '', lithuanianCode('4450301777'));
    await page.getByLabel('Pradžios laikas').fill('08:30');
    await page.getByLabel('Pabaigos laikas').fill('10:00');
    await page.getByRole('button', { name: 'Išsaugoti įrašą' }).click();
    await page.locator('[data-saved-id]').filter({ hasNotText: id }).waitFor();
    const timed = await page.locator('[data-saved-id]').innerText();
    const [stored] = await t.store.readStream(`activity-${timed}`);
    expect(stored?.data).toMatchObject({ fields: { startTime: '08:30', endTime: '10:00', durationMinutes: 90 } });
    await page.getByRole('link', { name: 'Apžvalga' }).click();
    await page.locator('.chart[data-rendered="true"] canvas').waitFor();
    expect(Number(await figure(page, 'persons-reached'))).toBe(before + 1);
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('an invalid record is refused with the API’s rules at the fields, a focused summary, nothing written', async () => {
    const { page, errors } = await signedIn(PARTNER);
    await page.goto(`${t.base}/partners/visaginas-spc/new`);
    await fillServiceDelivery(page, '2000', '123');
    await page.getByRole('button', { name: 'Išsaugoti įrašą' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await page.evaluate<string | undefined>('document.activeElement?.className')).toBe('error-summary');
    expect(await page.locator('[data-field="durationMinutes"] .field-error').innerText()).toContain(
      'Įveskite sveikąjį skaičių nuo 1 iki 1440.',
    );
    expect(await page.locator('[data-field="recipient.personalCode"] .field-error').innerText()).toContain(
      'Asmens kodą sudaro 11 skaitmenų.',
    );
    expect(await page.getByLabel('Trukmė minutėmis').getAttribute('aria-invalid')).toBe('true');
    expect(await summary.getByRole('link').count()).toBe(2);
    await checkAndShoot(page, 'record-form-errors-lt');
    // Another kind: an expenditure's money typed the Lithuanian way is sent as the API's decimal string.
    await page.getByLabel('Ką įrašote?').selectOption('expenditure');
    await page.getByLabel('Biudžeto kategorija').selectOption('staff');
    await page.getByLabel('Suma, €').fill('1 234,5');
    await page.getByLabel('Data', { exact: true }).fill('2024-06-14');
    await page.getByLabel('Dokumento numeris').fill('INV-WEB-1');
    await page.getByLabel('Aprašymas').fill('June travel of the mobile team');
    await page.getByRole('button', { name: 'Išsaugoti įrašą' }).click();
    await page.getByText('Įrašas išsaugotas.').waitFor();
    const id = await page.locator('[data-saved-id]').innerText();
    const saved = (
      await request(t.base)
        .get(url(`/expenditures/${id}`))
        .set(t.as('partnerA'))
        .expect(200)
    ).body;
    expect(saved.fields.amount).toBe('1234.50');
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('the record form passes axe in English too', async () => {
    const { page, errors } = await signedIn(PARTNER, 'en');
    await page.goto(`${t.base}/partners/visaginas-spc/new`);
    await page.getByLabel("Recipient's personal code").waitFor();
    await page.getByRole('button', { name: 'Save the record' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('[data-field="occurredOn"] .field-error').innerText()).toContain('Fill in this field.');
    await checkAndShoot(page, 'record-form-en');
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('the partner’s records: filters, next page, exports, search by personal code never shown back (lt, en)', async () => {
    for (const locale of ['lt', 'en'] as const) {
      const { page, errors } = await signedIn(PARTNER, locale);
      await page.goto(`${t.base}/partners/visaginas-spc/records`);
      const rows = page.locator('table[data-table="records"] tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(20);
      // Compared by record id: two records of one day, kind and minute read the same as text.
      const idsOnPage = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-record')));
      const firstPage = await idsOnPage();
      await page.getByRole('button', { name: locale === 'lt' ? 'Kitas puslapis' : 'Next page' }).click();
      await page
        .getByRole('button', { name: locale === 'lt' ? 'Į pirmą puslapį' : 'Back to the first page' })
        .waitFor();
      const secondPage = await idsOnPage();
      expect(secondPage.length).toBeGreaterThan(0);
      expect(secondPage.every((id) => id !== null && /^[0-9a-f-]{36}$/.test(id))).toBe(true);
      expect(secondPage.some((id) => firstPage.includes(id))).toBe(false);
      await checkAndShoot(page, `records-${locale}`);
      // The exports are the list's own format=csv|xlsx with the same filters, signed in by the cookie.
      const csvHref = await page
        .getByRole('link', { name: locale === 'lt' ? 'CSV failas' : 'CSV file' })
        .getAttribute('href');
      expect(csvHref).toContain('partnerId=visaginas-spc');
      expect(csvHref).toContain('format=csv');
      const csv = await page.evaluate((h) => fetch(h!).then(async (r) => [r.status, await r.text()] as const), csvHref);
      expect(csv[0]).toBe(200);
      expect(csv[1].trim().split('\n').length).toBeGreaterThan(30);
      expect(unexpected(errors)).toEqual([]);
      await page.context().close();
    }
  });

  it('filters by kind and state, and finds one person’s records by the code without showing it', async () => {
    const { page, errors } = await signedIn(PARTNER);
    await page.goto(`${t.base}/partners/visaginas-spc/records`);
    const rows = page.locator('table[data-table="records"] tbody tr');
    await rows.first().waitFor();
    await page.getByLabel('Kokie įrašai').selectOption('expenditures');
    await page.getByLabel('Būklė', { exact: true }).selectOption('verified');
    await page.getByRole('form', { name: 'Atrinkti įrašus' }).getByRole('button', { name: 'Rodyti' }).click();
    await page.getByText('INV-2024-05').waitFor();
    expect(await rows.count()).toBe(1);
    expect(lt(await rows.first().innerText())).toContain('123 456,78 €');
    // A code that is not one is refused in words, without quoting what was typed.
    await page.getByLabel('Gavėjo asmens kodas').fill('12345');
    await page.getByRole('button', { name: 'Ieškoti' }).click();
    await page.getByRole('alert').getByText('Asmens kodą sudaro 11 skaitmenų.').waitFor();
    expect(await page.locator('main').innerText()).not.toContain('12345');
    const personalCode = lithuanianCode('4450301100');
    await page.getByLabel('Gavėjo asmens kodas').fill(personalCode);
    await page.getByRole('button', { name: 'Ieškoti' }).click();
    await page.getByRole('table', { name: 'Vieno asmens įrašai' }).waitFor();
    expect(await rows.count()).toBe(1);
    expect(await page.getByLabel('Gavėjo asmens kodas').inputValue()).toBe('');
    expect(await page.content()).not.toContain(personalCode);
    expect(page.url()).not.toContain(personalCode);
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('a record’s page: its history; correct with the current values, then void with a reason', async () => {
    const { page, errors } = await signedIn(PARTNER);
    const personalCode = lithuanianCode('4450301101');
    const found = (
      await request(t.base).post(url('/activities/search')).set(t.as('partnerA')).send({ personalCode }).expect(200)
    ).body.records[0];
    await page.goto(`${t.base}/records/${found.id}`);
    const history = page.locator('table[data-table="history"] tbody tr');
    await history.first().waitFor();
    expect(await history.count()).toBe(1);
    await checkAndShoot(page, 'record-lt');
    await page.getByRole('button', { name: 'Taisyti įrašą' }).click();
    expect(await page.getByLabel('Trukmė minutėmis').inputValue()).toBe('45');
    expect(await page.getByLabel('Paslauga', { exact: true }).inputValue()).toBe('care');
    expect(await page.getByLabel('Gavėjo asmens kodas').inputValue()).toBe('');
    await page.getByLabel('Trukmė minutėmis').fill('60');
    await page.getByLabel('Gavėjo asmens kodas').fill(personalCode);
    await page.getByLabel('Priežastis').fill('Trukmė buvo įvesta klaidingai');
    await checkAndShoot(page, 'record-correct-lt');
    await page.getByRole('button', { name: 'Išsaugoti pataisymą' }).click();
    await page.getByText('Pataisymas išsaugotas.').waitFor();
    await history.nth(1).waitFor();
    expect(await history.count()).toBe(2);
    expect(await history.nth(1).innerText()).toContain('Pataisyta');
    const corrected = (
      await request(t.base)
        .get(url(`/activities/${found.id}`))
        .set(t.as('partnerA'))
        .expect(200)
    ).body;
    expect(corrected.state.fields.durationMinutes).toBe(60);
    await page.getByRole('button', { name: 'Anuliuoti įrašą…' }).click();
    await page.getByLabel('Priežastis').fill('Įrašas pateiktas du kartus');
    await page.getByRole('button', { name: 'Taip, anuliuoti įrašą' }).click();
    await page.getByText('Įrašas anuliuotas.').waitFor();
    await page.locator('[data-figure="record-state"]', { hasText: 'Anuliuota' }).waitFor();
    expect(await page.getByRole('button', { name: 'Taisyti įrašą' }).count()).toBe(0);
    expect(await page.content()).not.toContain(personalCode);
    await checkAndShoot(page, 'record-voided-lt');
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('imports a file: a dry run, its progress, the summary and the row-error table with the error files (lt)', async () => {
    const { page, errors } = await signedIn(PARTNER);
    await page.goto(`${t.base}/partners/visaginas-spc`);
    await page.getByRole('link', { name: 'Įkelti įrašus iš failo' }).click();
    await page.waitForURL((u) => u.pathname === '/partners/visaginas-spc/import');
    const person = lithuanianCode('4450301888');
    const csv = [
      'Rūšis;Data;Paslauga;Tikslinė grupė;Vieta;Trukmė (min.);Asmens kodas;Biudžeto kategorija;Suma;Dokumento nr.;Aprašymas',
      `service-delivered;2024-06-12;nursing;elderly;home;90;${person};;;;`,
      `service-delivered;2024-06-13;nursing;elderly;home;abc;${person};;;;`,
    ].join('\r\n');
    await page.getByLabel('Failas (CSV arba XLSX)').setInputFiles({
      name: 'visits.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    expect(await page.getByLabel('Tik patikrinti, nieko neįrašyti').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Įkelti failą' }).click();
    await page.locator('[data-import-state="completed"]').waitFor();
    await page.locator('table[data-table="row-errors"] tbody tr').first().waitFor();
    expect(await figure(page, 'import-rows')).toBe('2');
    expect(await figure(page, 'import-imported')).toBe('1');
    expect(await figure(page, 'import-rejected')).toBe('1');
    const errorRows = await page.locator('table[data-table="row-errors"] tbody tr').allInnerTexts();
    expect(errorRows.length).toBeGreaterThan(0);
    expect(errorRows.join('\n')).toContain('abc');
    expect(errorRows.join('\n')).toContain('Trukmė (min.)');
    expect(await page.getByRole('link', { name: 'Klaidų sąrašas (XLSX)' }).getAttribute('href')).toMatch(
      /errors\.xlsx$/,
    );
    expect(await page.content()).not.toContain(person);
    await checkAndShoot(page, 'import-lt');
    // A dry run wrote nothing.
    const listed = await request(t.base)
      .get(url('/activities?partnerId=visaginas-spc&from=2024-06-12&to=2024-06-13'))
      .set(t.as('partnerA'))
      .expect(200);
    expect(listed.body.records).toEqual([]);
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('the import page passes axe in English, with the template link', async () => {
    const { page, errors } = await signedIn(PARTNER, 'en');
    await page.goto(`${t.base}/partners/visaginas-spc/import`);
    await page.getByRole('heading', { level: 1, name: 'Uploading records from a file' }).waitFor();
    const href = await page.getByRole('link', { name: 'Download the template (XLSX)' }).getAttribute('href');
    expect(await page.evaluate((h) => fetch(h!).then((r) => r.status), href)).toBe(200);
    await checkAndShoot(page, 'import-en');
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it.each(['lt', 'en'] as const)(
    'a partner editing the address to another partner’s pages or records reads "not available", never data (%s)',
    async (locale) => {
      const { page, errors } = await signedIn(PARTNER, locale);
      const other = (await request(t.base).get(url('/activities?limit=1')).set(t.as('partnerB')).expect(200)).body
        .records[0];
      const otherExpenditure = (
        await request(t.base).get(url('/expenditures?limit=1')).set(t.as('partnerB')).expect(200)
      ).body.records[0];
      const heading = locale === 'lt' ? 'Šis puslapis jums neprieinamas' : 'This page is not available to you';
      for (const path of [
        '/partners/utena-spc',
        '/partners/utena-spc/records',
        '/partners/utena-spc/new',
        '/partners/utena-spc/import',
        `/records/${other.id}`,
        `/records/${otherExpenditure.id}`,
        '/records/not-a-record',
        '/partners/no-such-partner',
      ]) {
        await page.goto(`${t.base}${path}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        const main = await page.locator('main').innerText();
        expect(main).not.toMatch(/utena|INV-U-06|45 000/i);
        expect(await page.locator('table').count()).toBe(0);
      }
      await checkAndShoot(page, `not-available-${locale}`);
      expect(unexpected(errors)).toEqual([]);
      await page.context().close();
    },
  );
});
