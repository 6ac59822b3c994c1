// Days as Lithuanians write them (#17): the forms' and filters' day fields show and take
// yyyy-mm-dd (yyyy.mm.dd normalised) whatever the browser's locale, with the format in the label,
// and say at the field when a text is no day; the tables show days as yyyy-mm-dd in both languages.
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from './support/axe';
import { lithuanianCode, type LedgerTestApp } from './support/ledger-test-app';
import { waitUntil } from './support/browser';
import { openAs, startWebTestApp } from './support/web-test-app';

jest.setTimeout(300_000);
const PARTNER = /partnerio darbuotojas|partner staff/;

describe('day fields in chromium: yyyy-mm-dd in Lithuanian and English', () => {
  let t: LedgerTestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ t, browser } = await startWebTestApp(new Date('2024-06-20T10:00:00Z')));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = (path: string, locale: 'lt' | 'en') => openAs(browser, t.base, PARTNER, path, locale);
  const days = (page: Page) => page.locator('table[data-table="records"] tbody th').allInnerTexts();

  it('the record form: typed by keyboard as 2024.06.14, shown and sent as 2024-06-14; a wrong day is said at the field', async () => {
    const { page, errors } = await open('/partners/visaginas-spc/new', 'lt');
    // Its name carries the format; the browser's date control (mm/dd/yyyy here) is not used.
    const day = page.getByRole('textbox', { name: 'Data (mmmm-mm-dd)', exact: true });
    expect(await day.getAttribute('type')).toBe('text');
    await day.focus();
    await page.keyboard.type('2024.02.30');
    await page.keyboard.press('Tab');
    const error = page.locator('[data-field="occurredOn"] .field-error');
    expect(await error.innerText()).toContain('Tokios datos nėra.');
    expect(await day.getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await day.fill('');
    await day.focus();
    await page.keyboard.type('2024.06.14');
    await page.keyboard.press('Tab');
    expect(await day.inputValue()).toBe('2024-06-14');
    expect(await error.count()).toBe(0);
    await page.getByLabel('Paslauga', { exact: true }).selectOption('care');
    await page.getByLabel('Tikslinė grupė').selectOption('elderly');
    await page.getByLabel('Kur suteikta').selectOption('home');
    await page.getByLabel('Trukmė minutėmis').fill('30');
    await page.getByLabel('Gavėjo asmens kodas').fill(lithuanianCode('4450301555'));
    await page.getByRole('button', { name: 'Išsaugoti įrašą' }).click();
    const id = await page.locator('[data-saved-id]').innerText();
    const [stored] = await t.store.readStream(`activity-${id}`);
    expect(stored!.data).toMatchObject({ fields: { occurredOn: '2024-06-14' } });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the records filters in English: yyyy-mm-dd and yyyy.mm.dd taken, a wrong day refused at the field', async () => {
    const { page, errors } = await open('/partners/visaginas-spc/records', 'en');
    await page.locator('table[data-table="records"]').waitFor();
    const from = page.getByRole('textbox', { name: 'From (yyyy-mm-dd)', exact: true });
    const to = page.getByRole('textbox', { name: 'To (yyyy-mm-dd)', exact: true });
    await from.fill('2024.06.01');
    await to.fill('2024-06-31');
    await to.press('Enter');
    // Nothing asked of the API: the field says what is wrong, the table is as it was.
    await page.locator('#filter-to-day-error').getByText('There is no such date.').waitFor();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#filter-from-day-error').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    // Its eight June visits of the scenario (3 to 10 June), not the one the form test saved.
    await to.fill('2024-06-10');
    await to.press('Enter');
    await waitUntil(async () => {
      const shown = await days(page);
      return shown.length > 0 && shown.every((day) => day.startsWith('2024-06-'));
    }, 'rows there (not the moment the table is reloading), each of June');
    expect((await days(page)).length).toBe(8);
    expect(await from.inputValue()).toBe('2024-06-01');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the records list pages back with "Previous page" to the same rows as before', async () => {
    const { page, errors } = await open('/partners/visaginas-spc/records', 'en');
    await page.locator('table[data-table="records"]').waitFor();
    const first = await page
      .locator('table[data-table="records"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-record')));
    expect(await page.getByRole('button', { name: 'Previous page' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.locator(`table[data-table="records"] tbody tr:first-child[data-record="${first[0]}"]`).waitFor();
    const again = await page
      .locator('table[data-table="records"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-record')));
    expect(again).toEqual(first);
    expect(await page.getByRole('button', { name: 'Previous page' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
