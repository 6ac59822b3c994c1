// The as-of picker reaches the record lists, the finance queue and the register (#17): as of a past
// day they show that day's state, labelled so, with no way to write; now, today's state.
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from './support/axe';
import { lithuanianCode, url, type LedgerTestApp } from './support/ledger-test-app';
import { openAs, startWebTestApp } from './support/web-test-app';
import { postCareVisit } from './support/web-scenario';

jest.setTimeout(300_000);
const FINANCE = /finansininkas|finance officer/;
const PARTNER = /partnerio darbuotojas|partner staff/;
const DAY = '2024-06-10';

describe('the record lists, queue and register as of a past day in chromium', () => {
  let t: LedgerTestApp;
  let browser: Browser;
  let later = '';
  // The app's clock: the web scenario is recorded on 10 June; a visit and a verdict on 15 June.
  const now = new Date('2024-06-10T10:00:00Z');
  beforeAll(async () => {
    ({ t, browser } = await startWebTestApp(now));
    now.setTime(Date.parse('2024-06-15T10:00:00Z'));
    const visit = await postCareVisit(t, lithuanianCode('4450301901'));
    later = visit.body.activityId;
    const queued = await request(t.base)
      .get(url('/verification-queue?record=expenditure'))
      .set(t.as('finance'))
      .expect(200);
    const utena = queued.body.records.find((r: { documentRef: string }) => r.documentRef === 'INV-U-06');
    const verdict = await request(t.base)
      .post(url(`/expenditures/${utena.id}/verify`))
      .set(t.as('finance'))
      .send({ eligible: '45000.00', ineligible: '0.00' })
      .expect(201);
    await request(t.base)
      .get(url(`/budget?position=${verdict.body.position}`))
      .set(t.as('finance'))
      .expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = (role: RegExp, path: string, locale: 'lt' | 'en' = 'lt') => openAs(browser, t.base, role, path, locale);
  const recordIds = (page: Page) =>
    page.locator('table[data-table="records"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.record));
  const queueRows = (page: Page) => page.locator('table[data-table="queue"] tbody th').allInnerTexts();

  it("a partner's records as of a past day: that day's list, labelled, no person search; now: today's", async () => {
    const { page, errors } = await open(PARTNER, `/partners/visaginas-spc/records?asOf=${DAY}`);
    await page.locator('table[data-table="records"]').waitFor();
    await page.getByRole('status').getByText(`Rodoma būklė ${DAY} dienos pabaigoje.`).waitFor();
    // Its 33 visits take two pages of 20 as of that day; now 34, the last recorded on 15 June.
    await page.getByRole('button', { name: 'Kitas puslapis' }).click();
    await page.getByRole('button', { name: 'Į pirmą puslapį' }).waitFor();
    expect(await recordIds(page)).toHaveLength(13);
    expect(await recordIds(page)).not.toContain(later);
    expect(await page.getByRole('button', { name: /Ieškoti/ }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    // The download carries the day too.
    expect(await page.getByRole('link', { name: /CSV/ }).first().getAttribute('href')).toContain(`asOf=${DAY}`);
    await page.getByRole('link', { name: 'Grįžti į dabartinę būklę' }).click();
    await page.waitForURL((u) => !u.searchParams.has('asOf'));
    await page.getByRole('button', { name: 'Kitas puslapis' }).click();
    await page.locator(`tr[data-record="${later}"]`).waitFor();
    expect(await recordIds(page)).toHaveLength(14);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('as of a past day a record, the new-record and import pages offer no writes', async () => {
    const { page, errors } = await open(PARTNER, `/records/${later}?asOf=2024-06-15`, 'en');
    await page.locator('[data-state="as-of-read-only"]').waitFor();
    expect(await page.getByRole('button', { name: 'Correct' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    for (const path of ['/partners/visaginas-spc/new', '/partners/visaginas-spc/import']) {
      await page.goto(`${t.base}${path}?asOf=${DAY}`);
      await page.locator('[data-state="as-of-read-only"]').waitFor();
      expect(await page.locator('form:not(.as-of-picker)').count()).toBe(0);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the finance queue and register as of a past day: before the verdict, read-only; now: after it', async () => {
    const { page, errors } = await open(FINANCE, `/finance/queue?asOf=${DAY}`);
    await page.locator('table[data-table="queue"]').waitFor();
    expect(await queueRows(page)).toContain('INV-U-06');
    await page.getByRole('button', { name: /INV-U-06/ }).click();
    await page.locator('[data-panel] [data-state="as-of-read-only"]').waitFor();
    expect(await page.locator('[data-panel] form').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    // Now: the verdict of 15 June took the only expenditure awaiting one out of the queue.
    await page.goto(`${t.base}/finance/queue`);
    await page.locator('[data-state="empty"]').waitFor();
    await page.goto(`${t.base}/finance/register?asOf=${DAY}`);
    await page.getByRole('status').getByText(`Rodoma būklė ${DAY} dienos pabaigoje.`).waitFor();
    const register = page.locator('table[data-table="register"]');
    await register.waitFor();
    // Declared, no verdict yet: its status says so and the eligible cell is empty.
    const row = register.locator('tbody tr', { hasText: 'INV-U-06' });
    expect(await row.locator('.status').getAttribute('class')).toBe('status none');
    expect(await row.locator('td').nth(4).innerText()).toBe('—');
    expect(await page.getByRole('link', { name: /XLSX/ }).first().getAttribute('href')).toContain(`asOf=${DAY}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
