// Issue #18: an equipment record linked to an expenditure is read inside the expenditure's commit.
// The equipment is corrected (its total raised past the invoice) between the link's read and its
// commit: the commit's condition on the equipment's revision fails, the link is decided again on the
// corrected total and refused, so linked totals never exceed the expenditure.
import request from 'supertest';
import type { StreamAppend, StreamCondition } from '@ihl/event-store';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

describe('linking equipment races a correction of it', () => {
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

  beforeAll(async () => {
    t = await startLedgerTestApp(); // today: 2024-06-15
    await seedProject(t);
  });
  afterAll(() => t.close());

  it('decides the link again on the corrected total and refuses it (1000.01 > 1000.00)', async () => {
    const invoice = {
      categoryId: 'equipment',
      amount: '1000.00',
      occurredOn: '2024-05-14',
      documentRef: 'SF-1',
      description: 'hoist',
    };
    const expenditureId = (await post('/expenditures', invoice).expect(201)).body.expenditureId;
    const activityId = (await post('/activities/equipment-procurements', hoist('900.00')).expect(201)).body.activityId;
    const appendMany = t.store.appendMany.bind(t.store);
    let raced = false;
    t.store.appendMany = async (appends: readonly StreamAppend[], conditions?: readonly StreamCondition[]) => {
      if (!raced && appends.some((a) => a.events.some((e) => e.type === 'ExpenditureEquipmentLinked'))) {
        raced = true;
        // Between the link's read of the equipment (900.00) and its commit, the partner corrects it.
        await post(`/activities/equipment-procurements/${activityId}/corrections`, {
          ...hoist('1000.01'),
          reason: 'the invoice total was mistyped',
        }).expect(201);
      }
      return appendMany(appends, conditions);
    };
    const link = await post(`/expenditures/${expenditureId}/equipment`, { activityId });
    t.store.appendMany = appendMany;
    expect(raced).toBe(true);
    expect(link.status).toBe(422);
    expect(link.body.issues[0]).toMatchObject({ field: 'activityId', rule: 'linked-within-expenditure' });
    const shown = await request(t.base)
      .get(url(`/expenditures/${expenditureId}`))
      .set(t.as('finance'))
      .expect(200);
    expect(shown.body.linkedEquipment ?? {}).toEqual({});
  });
});
