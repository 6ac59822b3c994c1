// Issue #18 item 4: a linked equipment record's later correction is decided with the expenditure
// that paid for it (its link's marker says which), so the linked totals never exceed it; a void
// of the record releases its link. Amounts computed by hand: an invoice of 1000.00.
import request from 'supertest';
import type { StreamAppend, StreamCondition } from '@ihl/event-store';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

describe('correcting or voiding equipment linked to an expenditure', () => {
  let t: LedgerTestApp;
  const post = (path: string, body: object) => request(t.base).post(url(path)).set(t.as('partnerA')).send(body);
  const hoist = (total: string) => ({
    occurredOn: '2024-05-14',
    category: 'nursing-aid',
    description: 'Patient hoist',
    quantity: 1,
    unitPrice: total,
    total,
    supplier: 'UAB Slaugos technika',
    contractRef: 'SUT-2024-17',
  });
  const invoice = { categoryId: 'equipment', occurredOn: '2024-05-14', documentRef: 'SF-1', description: 'hoists' };
  const expenditure = async (amount: string): Promise<string> =>
    (await post('/expenditures', { ...invoice, amount }).expect(201)).body.expenditureId;
  const equipment = async (total: string): Promise<string> =>
    (await post('/activities/equipment-procurements', hoist(total)).expect(201)).body.activityId;
  const correct = (id: string, total: string) =>
    post(`/activities/equipment-procurements/${id}/corrections`, { ...hoist(total), reason: 'mistyped total' });
  const linkedOf = async (id: string) =>
    (
      await request(t.base)
        .get(url(`/expenditures/${id}`))
        .set(t.as('finance'))
        .expect(200)
    ).body.linkedEquipment;

  beforeAll(async () => {
    t = await startLedgerTestApp(); // today: 2024-06-15
    await seedProject(t);
  });
  afterAll(() => t.close());

  it('re-links a correction within the invoice, refuses one cent past it, releases a voided record', async () => {
    const e = await expenditure('1000.00');
    const a = await equipment('600.00');
    const b = await equipment('300.00');
    await post(`/expenditures/${e}/equipment`, { activityId: a }).expect(201);
    await post(`/expenditures/${e}/equipment`, { activityId: b }).expect(201);

    // 700.01 + 300.00 = 1000.01 > 1000.00: refused, nothing written.
    const refused = await correct(a, '700.01').expect(422);
    expect(refused.body.issues[0]).toMatchObject({ field: 'total', rule: 'within-linked-expenditure' });
    expect(await linkedOf(e)).toEqual({ [a]: '600.00', [b]: '300.00' });
    // 700.00 + 300.00 = 1000.00: accepted, and the link follows it.
    await correct(a, '700.00').expect(201);
    expect(await linkedOf(e)).toEqual({ [a]: '700.00', [b]: '300.00' });

    const view = await request(t.base)
      .get(url(`/activities/${a}`))
      .set(t.as('partnerA'))
      .expect(200);
    expect(view.body.history.map((h: { type: string }) => h.type)).toEqual([
      'EquipmentProcured',
      'EquipmentLinkedToExpenditure',
      'ActivityCorrected',
    ]);
    expect(view.body.state).toMatchObject({ linkedExpenditureId: e });

    // One record, one expenditure.
    const other = await expenditure('5000.00');
    const twice = await post(`/expenditures/${other}/equipment`, { activityId: a }).expect(422);
    expect(twice.body.issues[0]).toMatchObject({ field: 'activityId', rule: 'linked-once' });

    // Once that invoice is voided it pays for nothing: a may then be linked to the other one.
    const duplicate = await expenditure('2000.00');
    const d = await equipment('50.00');
    await post(`/expenditures/${duplicate}/equipment`, { activityId: d }).expect(201);
    await post(`/expenditures/${other}/equipment`, { activityId: d }).expect(422);
    await post(`/expenditures/${duplicate}/void`, { reason: 'entered twice' }).expect(201);
    await post(`/expenditures/${other}/equipment`, { activityId: d }).expect(201);
    expect(await linkedOf(other)).toEqual({ [d]: '50.00' });
    // Its corrections are now decided with the new one: 5000.01 > 5000.00.
    const past = await correct(d, '5000.01').expect(422);
    expect(past.body.issues[0]).toMatchObject({ field: 'total', rule: 'within-linked-expenditure' });

    // Voiding b releases its 300.00: a 300.00 record fits again (700.00 + 300.00 = 1000.00).
    await post(`/activities/${b}/void`, { reason: 'returned to the supplier' }).expect(201);
    expect(await linkedOf(e)).toEqual({ [a]: '700.00' });
    const c = await equipment('300.00');
    await post(`/expenditures/${e}/equipment`, { activityId: c }).expect(201);
    expect(await linkedOf(e)).toEqual({ [a]: '700.00', [c]: '300.00' });
  });

  it('decides a correction again when a link lands between its read of the expenditure and its commit', async () => {
    const e = await expenditure('1000.00');
    const a = await equipment('600.00');
    const c = await equipment('300.01');
    await post(`/expenditures/${e}/equipment`, { activityId: a }).expect(201);
    const appendMany = t.store.appendMany.bind(t.store);
    let raced = false;
    t.store.appendMany = async (appends: readonly StreamAppend[], conditions?: readonly StreamCondition[]) => {
      if (!raced && appends.some((x) => x.events.some((ev) => ev.type === 'ActivityCorrected'))) {
        raced = true;
        // Read: 600.00 linked, so 700.00 fits. Meanwhile c (300.01) is linked: 600.00 + 300.01 = 900.01.
        await post(`/expenditures/${e}/equipment`, { activityId: c }).expect(201);
      }
      return appendMany(appends, conditions);
    };
    const corrected = await correct(a, '700.00');
    t.store.appendMany = appendMany;
    expect(raced).toBe(true);
    // Decided again: 700.00 + 300.01 = 1000.01 > 1000.00.
    expect(corrected.status).toBe(422);
    expect(corrected.body.issues[0]).toMatchObject({ field: 'total', rule: 'within-linked-expenditure' });
    expect(await linkedOf(e)).toEqual({ [a]: '600.00', [c]: '300.01' });
  });
  it('in a locked period: checks the proposed restatement, and again at its approval', async () => {
    const e = await expenditure('1000.00');
    const a = await equipment('600.00');
    const c = await equipment('300.01');
    await post(`/expenditures/${e}/equipment`, { activityId: a }).expect(201);
    await request(t.base).post(url('/periods/2024-Q2/lock')).set(t.as('auditor')).send({}).expect(201);

    // Proposed 1000.01 alone > 1000.00: refused when proposed.
    const proposed = await correct(a, '1000.01').expect(422);
    expect(proposed.body.issues[0]).toMatchObject({ field: 'total', rule: 'within-linked-expenditure' });
    // 700.00 fits now (the link keeps 600.00 until approval) ...
    await correct(a, '700.00').expect(201);
    expect(await linkedOf(e)).toEqual({ [a]: '600.00' });
    // ... but c is linked meanwhile: 700.00 + 300.01 = 1000.01 > 1000.00, so the approval is refused.
    await post(`/expenditures/${e}/equipment`, { activityId: c }).expect(201);
    const approval = await request(t.base)
      .post(url(`/activities/${a}/restatement/approve`))
      .set(t.as('auditor'))
      .send({ note: 'invoice checked' })
      .expect(422);
    expect(approval.body.issues[0]).toMatchObject({ field: 'total', rule: 'within-linked-expenditure' });
    expect(await linkedOf(e)).toEqual({ [a]: '600.00', [c]: '300.01' });
  });
});
