// The record lists as of a day or position (?asOf=, #17): a record corrected, voided or verified
// after day D shows its state of day D in the lists as of D, and today's state live.
import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

type Who = Parameters<LedgerTestApp['as']>[0];
interface Listed {
  readonly id: string;
  readonly state: string;
  readonly minutes: number;
  readonly eligible: string | null;
  readonly ageDays?: number;
}

describe('record lists as of a past day or position (?asOf=)', () => {
  // The app's clock: day D, then two days later for the changes.
  const now = new Date('2024-04-10T09:00:00Z');
  const D = '2024-04-10';
  let t: LedgerTestApp;
  let atD = 0;
  const ids: Record<string, string> = {};

  const post = async (who: Who, path: string, body: object) => {
    const res = await request(t.base).post(url(path)).set(t.as(who)).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = (who: Who, path: string) => request(t.base).get(url(path)).set(t.as(who));
  const visit = (personalCode: string, durationMinutes = 60) => ({
    occurredOn: '2024-04-01',
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes,
    recipient: { personalCode },
  });
  const spend = {
    categoryId: 'staff',
    amount: '500.00',
    occurredOn: '2024-04-05',
    documentRef: 'INV-1',
    description: 'Pay',
  };
  /** The rows of a list by id: what each said. */
  const byId = async (who: Who, path: string, rows = 'records'): Promise<Record<string, Listed>> => {
    const body = (await get(who, path).expect(200)).body as Record<string, Listed[]>;
    return Object.fromEntries(body[rows]!.map((r) => [r.id, r]));
  };

  beforeAll(async () => {
    t = await startLedgerTestApp(now);
    await seedProject(t);
    ids.corrected = (
      await post('partnerA', '/activities/service-deliveries', visit(lithuanianCode('4450301123')))
    ).activityId;
    ids.voided = (
      await post('partnerA', '/activities/service-deliveries', visit(lithuanianCode('3470702123')))
    ).activityId;
    ids.verified = (
      await post('partnerA', '/activities/service-deliveries', visit(lithuanianCode('4391111123')))
    ).activityId;
    await request(t.base)
      .put(url('/allocations/visaginas-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: '1000.00' })
      .expect(201);
    const cost = await post('partnerA', '/expenditures', spend);
    ids.cost = cost.expenditureId;
    atD = cost.position;
    now.setTime(Date.parse('2024-04-12T09:00:00Z'));
    await post('partnerA', `/activities/service-deliveries/${ids.corrected}/corrections`, {
      ...visit(lithuanianCode('4450301123'), 90),
      reason: 'the visit was longer',
    });
    await post('partnerA', `/activities/${ids.voided}/void`, { reason: 'entered by mistake' });
    await post('auditor', `/activities/${ids.verified}/verify`, { note: 'matches the log' });
    const last = await post('finance', `/expenditures/${ids.cost}/verify`, {
      eligible: '400.00',
      ineligible: '100.00',
      note: 'one line out',
      ineligibleReason: 'not-in-approved-budget',
    });
    await get('auditor', `/activities?position=${last.position}`).expect(200);
  });
  afterAll(() => t.close());

  it('the activities as of day D show their state of D; live, their state today', async () => {
    for (const asOf of [D, String(atD)]) {
      const then = await byId('auditor', `/activities?asOf=${asOf}`);
      expect(Object.keys(then).sort()).toEqual([ids.corrected, ids.voided, ids.verified].sort());
      expect(then[ids.corrected!]).toMatchObject({ state: 'pending', minutes: 60 });
      expect(then[ids.voided!]).toMatchObject({ state: 'pending' });
      expect(then[ids.verified!]).toMatchObject({ state: 'pending' });
    }
    const live = await byId('auditor', '/activities');
    expect(live[ids.corrected!]).toMatchObject({ state: 'pending', minutes: 90 });
    expect(live[ids.voided!]).toMatchObject({ state: 'voided' });
    expect(live[ids.verified!]).toMatchObject({ state: 'verified' });
    // The filters and the partner's own view read the same past state.
    expect(Object.keys(await byId('partnerA', `/activities?asOf=${D}&state=voided`))).toEqual([]);
    expect(Object.keys(await byId('partnerA', '/activities?state=voided'))).toEqual([ids.voided]);
    expect(
      Object.keys(await byId('partnerA', `/activities?asOf=${D}&partnerId=visaginas-spc&sort=-date`)),
    ).toHaveLength(3);
  });

  it('the answer says the position it stands on; its export is named by it', async () => {
    const page = await get('auditor', `/activities?asOf=${D}`).expect(200);
    expect(page.body.position).toBe(atD);
    expect(page.headers['x-ledger-position']).toBe(String(atD));
    const csv = await get('auditor', `/expenditures?asOf=${D}&format=csv`).expect(200);
    expect(csv.headers['content-disposition']).toContain(`-at-${atD}`);
    expect(csv.text).toContain('INV-1');
  });

  it('the expenditures, the register and the queue as of D: before the verdict', async () => {
    expect((await byId('finance', `/expenditures?asOf=${D}`))[ids.cost!]).toMatchObject({
      state: 'pending',
      eligible: null,
    });
    expect((await byId('finance', '/expenditures'))[ids.cost!]).toMatchObject({
      state: 'verified',
      eligible: '400.00',
    });
    const register = (await get('finance', `/expenditure-register?asOf=${D}`).expect(200)).body;
    expect(register.expenditures.map((e: Listed) => [e.id, e.eligible])).toEqual([[ids.cost, null]]);
    expect(register.totals).toMatchObject({ pending: '500.00', eligible: '0.00' });
    expect((await get('finance', '/expenditure-register').expect(200)).body.totals).toMatchObject({
      pending: '0.00',
      eligible: '400.00',
    });
    const queued = await byId('auditor', `/verification-queue?asOf=${D}`);
    expect(Object.keys(queued).sort()).toEqual([ids.corrected, ids.voided, ids.verified, ids.cost].sort());
    // Their age at the end of day D: recorded that morning.
    expect(Object.values(queued).map((r) => r.ageDays)).toEqual([0, 0, 0, 0]);
    expect(Object.keys(await byId('auditor', '/verification-queue'))).toEqual([ids.corrected]);
  });

  it('a day yet to come is refused, naming the field and the rule', async () => {
    for (const path of ['/activities', '/expenditures', '/verification-queue', '/expenditure-register']) {
      const res = await get('finance', `${path}?asOf=2024-04-13`).expect(422);
      expect(res.body.issues).toEqual([expect.objectContaining({ field: 'asOf', rule: 'not-after-today' })]);
    }
  });
});
