// Issue #18, item 4: the detail finance verifies an expenditure against (document date, supplier,
// VAT treatment) and a reason code on every cut, over HTTP, with bad input refused naming the field.
import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

type Who = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB';

describe('verification detail: supplier, document date, VAT, reasons for cuts', () => {
  let t: LedgerTestApp;
  let id = '';
  const post = (who: Who, path: string, body: object) => request(t.base).post(url(path)).set(t.as(who)).send(body);
  const get = (who: Who, path: string) => request(t.base).get(url(path)).set(t.as(who));
  const invoice = {
    categoryId: 'equipment',
    amount: '1234.57',
    occurredOn: '2024-05-14',
    documentRef: 'PVM-SF-2024-0117',
    description: 'Two lifting aids',
    documentDate: '2024-05-16',
    supplier: { name: 'UAB Slaugos technika', code: '302456789' },
    vatTreatment: 'non-recoverable',
  };

  beforeAll(async () => {
    t = await startLedgerTestApp(); // today: 2024-06-15
    await seedProject(t);
    const res = await post('partnerA', '/expenditures', invoice).expect(201);
    id = res.body.expenditureId;
  });
  afterAll(() => t.close());

  it('keeps the document date, supplier and VAT treatment on the expenditure', async () => {
    const res = await get('finance', `/expenditures/${id}`).expect(200);
    expect(res.body.fields).toEqual({
      categoryId: 'equipment',
      amount: '1234.57',
      occurredOn: '2024-05-14',
      documentRef: 'PVM-SF-2024-0117',
      description: 'Two lifting aids',
      documentDate: '2024-05-16',
      supplier: { name: 'UAB Slaugos technika', code: '302456789' },
      vatTreatment: 'non-recoverable',
    });
  });

  it.each([
    [
      'a personal code as the supplier code',
      { supplier: { name: 'Jonas', code: lithuanianCode('3800101123') } },
      'supplier.code',
      422,
    ],
    [
      'a personal code in the supplier name',
      { supplier: { name: `Jonas ${lithuanianCode('3800101123')}` } },
      'supplier.name',
      422,
    ],
    ['an unknown field in the supplier', { supplier: { name: 'UAB X', iban: 'LT12' } }, 'supplier.iban', 400],
    ['another VAT treatment', { vatTreatment: 'deductible' }, 'vatTreatment', 400],
    ['a document date that is no date', { documentDate: '2024-02-30' }, 'documentDate', 422],
  ])('refuses %s (%#) naming the field, writing nothing', async (_label, extra, field, status) => {
    const before = await t.store.headPosition();
    const res = await post('partnerA', '/expenditures', { ...invoice, documentRef: 'X-1', ...extra });
    expect(res.status).toBe(status);
    expect(res.body.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(JSON.stringify(res.body)).not.toContain('3800101123');
    expect(await t.store.headPosition()).toBe(before);
  });

  it('refuses a document date after today with 422', async () => {
    const res = await post('partnerA', '/expenditures', { ...invoice, documentRef: 'X-2', documentDate: '2024-06-16' });
    expect(res.status).toBe(422);
    expect(res.body.issues[0]).toMatchObject({ field: 'documentDate', rule: 'not-in-future' });
  });

  it('links equipment to the invoice that paid for it; linked totals never exceed it (600.00 + 634.57 = 1234.57)', async () => {
    const hoist = (total: string, unitPrice: string) => ({
      occurredOn: '2024-05-14',
      category: 'nursing-aid',
      description: 'Patient hoist',
      quantity: 1,
      unitPrice,
      total,
      supplier: 'UAB Slaugos technika',
      contractRef: 'SUT-2024-17',
    });
    const equipment = async (total: string) =>
      (await post('partnerA', '/activities/equipment-procurements', hoist(total, total)).expect(201)).body.activityId;
    const [first, second, third] = [await equipment('600.00'), await equipment('634.58'), await equipment('634.57')];
    await post('partnerA', `/expenditures/${id}/equipment`, { activityId: first }).expect(201);
    const over = await post('partnerA', `/expenditures/${id}/equipment`, { activityId: second });
    expect(over.status).toBe(422);
    expect(over.body.issues[0]).toMatchObject({ field: 'activityId', rule: 'linked-within-expenditure' });
    expect(over.body.issues[0].message).toContain('1234.58');
    await post('partnerA', `/expenditures/${id}/equipment`, { activityId: third }).expect(201);
    const again = await post('partnerA', `/expenditures/${id}/equipment`, { activityId: third });
    expect(again.status).toBe(200);
    const shown = await get('finance', `/expenditures/${id}`).expect(200);
    expect(shown.body.linkedEquipment).toEqual({ [first]: '600.00', [third]: '634.57' });
    const lower = await post('partnerA', `/expenditures/${id}/corrections`, {
      ...invoice,
      amount: '1234.56',
      reason: 'credit note of one cent',
    });
    expect(lower.status).toBe(422);
    expect(lower.body.issues[0]).toMatchObject({ field: 'amount', rule: 'covers-linked-equipment' });
    const bad = await post('partnerA', `/expenditures/${id}/equipment`, { activityId: 'not-a-uuid' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]).toMatchObject({ field: 'activityId' });
  });

  it('a cut without a reason code is refused (400 naming ineligibleReason) and writes nothing', async () => {
    const before = await t.store.headPosition();
    const missing = await post('finance', `/expenditures/${id}/verify`, { eligible: '1000.00', ineligible: '234.57' });
    expect(missing.status).toBe(400);
    expect(missing.body.issues).toEqual([expect.objectContaining({ field: 'ineligibleReason' })]);
    expect(await t.store.headPosition()).toBe(before);
  });

  it('a cut carries a reason from the code list: in the answer, the register and its CSV', async () => {
    const bad = await post('finance', `/expenditures/${id}/verify`, {
      eligible: '1000.00',
      ineligible: '234.57',
      ineligibleReason: 'too-dear',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]).toMatchObject({ field: 'ineligibleReason' });
    const other = await post('finance', `/expenditures/${id}/verify`, {
      eligible: '1000.00',
      ineligible: '234.57',
      ineligibleReason: 'other',
    });
    expect(other.status).toBe(422);
    expect(other.body.issues[0]).toMatchObject({ field: 'note', rule: 'required' });
    const cut = await post('finance', `/expenditures/${id}/verify`, {
      eligible: '1000.00',
      ineligible: '234.57',
      ineligibleReason: 'recoverable-vat',
      note: 'VAT 21 % recoverable by the partner',
    }).expect(201);
    const shown = await get('finance', `/expenditures/${id}`).expect(200);
    expect(shown.body.verification).toEqual({
      eligible: '1000.00',
      ineligible: '234.57',
      ineligibleReason: 'recoverable-vat',
    });
    const register = await get('finance', `/expenditure-register?position=${cut.body.position}`).expect(200);
    expect(register.body.expenditures[0]).toMatchObject({
      eligible: '1000.00',
      ineligible: '234.57',
      ineligibleReason: 'recoverable-vat',
    });
    const csv = (await get('finance', '/expenditure-register?format=csv').expect(200)).text.split('\n');
    expect(csv[0]).toMatch(/,reported_in,ineligible_reason$/);
    expect(csv[1]).toMatch(/,1234\.57,1000\.00,234\.57,VAT 21 % recoverable by the partner,,recoverable-vat$/);
  });
});
