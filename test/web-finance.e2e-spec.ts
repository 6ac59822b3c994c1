import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workbook } from 'exceljs';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { INELIGIBILITY_REASONS } from '@ihl/domain';
import { axeViolations } from './support/axe';
import { launchChromium, newPage, signInAsDemo, waitUntil } from './support/browser';
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

  it.each(['/finance', '/finance/queue', '/finance/register'])(
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
  describe('the verification queue', () => {
    beforeAll(async () => {
      for (const [documentRef, categoryId, amount] of [
        ['INV-2024-06-A', 'equipment', '2500.00'],
        ['INV-2024-06-B', 'staff', '1000.00'],
      ])
        await request(t.base)
          .post(url('/expenditures'))
          .set(t.as('partnerA'))
          .send({ categoryId, amount, occurredOn: '2024-06-12', documentRef, description: `Sąskaita ${documentRef}` })
          .expect(201);
    });
    const queueRows = async (page: Page) => page.locator('table[data-table="queue"] tbody th').allInnerTexts();
    const expenditureOf = async (documentRef: string) => {
      const all = (await request(t.base).get(url('/expenditures?limit=500')).set(t.as('finance')).expect(200)).body;
      const row = all.records.find((e: { documentRef: string }) => e.documentRef === documentRef);
      const detail = await request(t.base)
        .get(url(`/expenditures/${row.id}`))
        .set(t.as('finance'))
        .expect(200);
      return { id: row.id as string, state: row.state as string, ...detail.body };
    };

    it.each(['lt', 'en'] as const)(
      'lists the pending expenditures oldest first; the panel passes axe (%s)',
      async (locale) => {
        const { page, errors } = await open(FINANCE, '/finance/queue', locale);
        await page.locator('table[data-table="queue"]').waitFor();
        expect(await queueRows(page)).toEqual(['INV-U-06', 'INV-2024-06-A', 'INV-2024-06-B']);
        // How long each has waited is the verification queue's own ageDays, in words.
        const queue = (
          await request(t.base).get(url('/verification-queue?record=expenditure')).set(t.as('finance')).expect(200)
        ).body.records as { ageDays: number }[];
        const ages = await page
          .locator('[data-age]')
          .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-age')));
        expect(ages).toEqual(queue.map((r) => String(r.ageDays)));
        expect(lt(await page.locator('[data-age]').first().innerText())).toEqual(
          locale === 'lt' ? `${queue[0]!.ageDays} d.` : expect.stringMatching(/^\d+ days?$/),
        );
        await page
          .getByRole('button', {
            name: locale === 'lt' ? 'Peržiūrėti išlaidą INV-U-06' : 'Review expenditure INV-U-06',
          })
          .click();
        await page.getByText('June salaries').waitFor();
        expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('panel-title');
        await page.getByLabel(locale === 'lt' ? 'Tinkama tik dalis' : 'Only a part is eligible').check();
        // The reason is the API's code list, every code once, in words.
        const codes = await page
          .locator('#verdict-reason option')
          .evaluateAll((os) => os.map((o) => o.getAttribute('value')));
        expect(codes).toEqual(['', ...INELIGIBILITY_REASONS]);
        expect(await axeViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `finance-queue-${locale}.png`), fullPage: true });
        expect(errors).toEqual([]);
        await page.context().close();
      },
    );

    it('a finance officer verifies a part by keyboard: it leaves the queue and the eligible total grows', async () => {
      const { page, errors } = await open(FINANCE, '/finance/queue');
      await page.locator('table[data-table="queue"]').waitFor();
      expect(await figure(page, 'eligible')).toBe('120 000,00 €');
      await page.getByRole('button', { name: 'Peržiūrėti išlaidą INV-U-06' }).focus();
      await page.keyboard.press('Enter');
      await page.getByText('June salaries').waitFor();
      await page.getByLabel('Tinkama tik dalis').check();
      await page.getByLabel('Tinkama suma, €').fill('40 000,50');
      await page.getByRole('button', { name: 'Išsaugoti sprendimą' }).click();
      // No reason for the ineligible part: the form says so and writes nothing.
      await page.getByRole('alert').getByText('Pasirinkite netinkamumo priežastį.').waitFor();
      expect(await page.getByLabel('Netinkamumo priežastis').getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('Netinkamumo priežastis').selectOption({ label: 'Nesusijusi su projektu' });
      await page.getByLabel('Pastaba').fill('Dalis valandų ne projekto veiklai');
      await page.getByLabel('Pastaba').press('Tab');
      await page.keyboard.press('Enter');
      await page
        .getByRole('status')
        .getByText('Sprendimas dėl išlaidos INV-U-06 išsaugotas; ji pašalinta iš eilės.')
        .waitFor();
      await page.locator('[data-row] th', { hasText: 'INV-U-06' }).waitFor({ state: 'detached' });
      expect(await queueRows(page)).toEqual(['INV-2024-06-A', 'INV-2024-06-B']);
      expect(await figure(page, 'eligible')).toBe('160 000,50 €');
      const api = (
        await request(t.base).get(url('/expenditure-register?period=2024-06')).set(t.as('finance')).expect(200)
      ).body;
      const verified = api.expenditures.find((e: { documentRef: string }) => e.documentRef === 'INV-U-06');
      expect(verified).toMatchObject({
        state: 'verified',
        eligible: '40000.50',
        ineligible: '4999.50',
        verdictNote: 'Dalis valandų ne projekto veiklai',
        ineligibleReason: 'not-related-to-project',
      });
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it('an ineligible verdict carries its reason code; "other" needs a note; a filter shows one partner', async () => {
      const { page } = await open(FINANCE, '/finance/queue?partnerId=visaginas-spc');
      await page.locator('table[data-table="queue"]').waitFor();
      expect(await page.getByLabel('Partneris').inputValue()).toBe('visaginas-spc');
      await page.getByRole('button', { name: 'Peržiūrėti išlaidą INV-2024-06-B' }).click();
      await page.getByText('Sąskaita INV-2024-06-B').waitFor();
      await page.getByLabel('Netinkama', { exact: true }).check();
      await page.getByLabel('Netinkamumo priežastis').selectOption('other');
      await page.getByRole('button', { name: 'Išsaugoti sprendimą' }).click();
      await page.getByRole('alert').getByText('Parašykite pastabą: kodėl išlaida netinkama.').waitFor();
      expect(await page.getByLabel('Pastaba').getAttribute('aria-invalid')).toBe('true');
      expect((await expenditureOf('INV-2024-06-B')).state).toBe('pending');
      await page.getByLabel('Netinkamumo priežastis').selectOption({ label: 'Nėra pagrindžiančio dokumento' });
      await page.getByLabel('Pastaba').fill('Nėra pirkimo dokumentų');
      await page.getByRole('button', { name: 'Išsaugoti sprendimą' }).click();
      await page
        .getByRole('status')
        .getByText(/INV-2024-06-B/)
        .waitFor();
      await waitUntil(async () => (await page.locator('[data-row]').count()) === 1, 'one row left in the queue');
      expect(await queueRows(page)).toEqual(['INV-2024-06-A']);
      await page.getByLabel('Partneris').selectOption('utena-spc');
      await page.getByText('Eilėje išlaidų nėra.').waitFor();
      expect(new URL(page.url()).search).toBe('?partnerId=utena-spc');
      const answer = await expenditureOf('INV-2024-06-B');
      expect(answer.verification).toMatchObject({
        eligible: '0.00',
        ineligible: '1000.00',
        ineligibleReason: 'no-supporting-document',
      });
      await page.context().close();
    });

    it('a verdict on an expenditure changed meanwhile is refused (If-Match): the page says so, nothing is written', async () => {
      const { page, errors } = await open(FINANCE, '/finance/queue');
      await page.getByRole('button', { name: 'Peržiūrėti išlaidą INV-2024-06-A' }).click();
      await page.getByText('Sąskaita INV-2024-06-A').waitFor();
      const before = await expenditureOf('INV-2024-06-A');
      // The partner corrects it while the panel is open.
      await request(t.base)
        .post(url(`/expenditures/${before.id}/corrections`))
        .set(t.as('partnerA'))
        .send({ ...before.fields, description: 'Sąskaita INV-2024-06-A, pataisyta', reason: 'Tikslesnis aprašymas' })
        .expect(201);
      await page.getByRole('button', { name: 'Išsaugoti sprendimą' }).click();
      await page
        .locator('[data-state="stale"]')
        .getByText(/kažkas pakeitė/)
        .waitFor();
      const after = await expenditureOf('INV-2024-06-A');
      expect(after.state).toBe('pending');
      expect(after.revision).toBe(before.revision + 1);
      expect(after.verification ?? null).toBeNull();
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, 'finance-queue-stale-lt.png'), fullPage: true });
      await page.getByRole('button', { name: 'Atnaujinti eilę' }).click();
      await page.locator('[data-panel]').waitFor({ state: 'detached' });
      expect(await queueRows(page)).toEqual(['INV-2024-06-A']);
      expect(errors.filter((e) => !e.includes('412'))).toEqual([]);
      await page.context().close();
    });

    it('the agency auditor reviews but is offered no verdict; an unknown partner in the URL is "not available"', async () => {
      const { page, errors } = await open(AUDITOR, '/finance/queue');
      await page.getByRole('button', { name: 'Peržiūrėti išlaidą INV-2024-06-A' }).click();
      await page.getByText('Sprendimą dėl išlaidų priima finansininkas; jūs galite tik peržiūrėti.').waitFor();
      expect(await page.getByRole('button', { name: 'Išsaugoti sprendimą' }).count()).toBe(0);
      await page.goto(`${t.base}/finance/queue?partnerId=no-such-partner`);
      await page.locator('[data-state="not-available"]').waitFor();
      expect(await page.locator('table[data-table="queue"]').count()).toBe(0);
      expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
      await page.context().close();
    });
  });
  describe('the expenditure register', () => {
    const registerOf = async (period: string) =>
      (
        await request(t.base)
          .get(url(`/expenditure-register?period=${period}`))
          .set(t.as('finance'))
          .expect(200)
      ).body;

    it.each(['lt', 'en'] as const)('shows a quarter with the API’s totals; axe passes (%s)', async (locale) => {
      const { page, errors } = await open(FINANCE, '/finance/register', locale);
      await page.locator('table[data-table="register"]').waitFor();
      await page.getByLabel(locale === 'lt' ? 'Laikotarpis' : 'Period').selectOption('2024-Q2');
      await page.waitForURL((u) => u.search === '?period=2024-Q2');
      const api = await registerOf('2024-Q2');
      await page.locator(`table[data-table="register"] caption`).getByText(String(api.totals.count)).waitFor();
      expect(await page.locator('table[data-table="register"] tbody tr').count()).toBe(api.expenditures.length);
      expect(api.totals.count).toBe(4);
      if (locale === 'lt') {
        expect(await figure(page, 'register-declared')).toBe(
          lt(`${api.totals.declared.replace(/^(\d+)(\d{3})\./, '$1 $2,')} €`),
        );
        expect(await figure(page, 'register-eligible')).toBe('160 000,50 €');
        const text = lt(await page.locator('table[data-table="register"] tbody').innerText());
        expect(text).toMatch(/Patikrinta[\s\S]*Laukia patikrinimo/);
        expect(text).toContain('Nėra pirkimo dokumentų');
        expect(text).toContain('Nėra pagrindžiančio dokumento');
        expect(text).toContain('Nesusijusi su projektu');
        expect(text).toContain('Patikrinta: netinkama');
        expect(text).toContain('Patikrinta, dalis netinkama');
      }
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `finance-register-${locale}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it('exports the register as CSV and XLSX from the page; the files hold the same rows and totals', async () => {
      const { page } = await open(FINANCE, '/finance/register?period=2024-06');
      await page.locator('table[data-table="register"]').waitFor();
      const api = await registerOf('2024-06');
      const download = async (name: string) => {
        const [file] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name, exact: true }).click(),
        ]);
        const path = (await file.path())!;
        return { name: file.suggestedFilename(), path, body: readFileSync(path) };
      };
      const csv = await download('CSV');
      expect(csv.name).toMatch(/^expenditure-register-07-003-P-0001.*\.csv$/);
      const lines = csv.body.toString('utf8').trim().split('\n');
      expect(lines[0]).toBe(
        'row,id,partner,category,document_ref,document_date,state,declared,eligible,ineligible,verdict_note,reported_in,ineligible_reason',
      );
      expect(lines).toHaveLength(api.expenditures.length + 2);
      expect(lines.find((l) => l.includes('INV-U-06'))).toContain(',verified,45000.00,40000.50,4999.50,');
      expect(lines.at(-1)).toBe(
        `total,,,,,,,${api.totals.declared},${api.totals.eligible},${api.totals.ineligible},,,`,
      );
      const excelCsv = await download('CSV (Excel, lietuviškas formatas)');
      expect(excelCsv.body.subarray(0, 3).toString('hex')).toBe('efbbbf');
      expect(excelCsv.body.toString('utf8')).toContain(';verified;45000,00;40000,50;4999,50;');
      const xlsx = await download('Excel (XLSX)');
      expect(xlsx.name).toMatch(/\.xlsx$/);
      const book = new Workbook();
      await book.xlsx.read(createReadStream(xlsx.path));
      const sheet = book.worksheets[0]!;
      const rows: string[] = [];
      sheet.eachRow((row) => rows.push(JSON.stringify(row.values)));
      expect(rows).toHaveLength(api.expenditures.length + 2);
      const verified = rows.find((r) => r.includes('INV-U-06'))!;
      expect(verified).toMatch(/40000\.5/);
      expect(verified).toMatch(/4999\.5/);
      expect(rows.at(-1)).toMatch(new RegExp(String(Number(api.totals.declared))));
      await page.context().close();
    });
  });
});
