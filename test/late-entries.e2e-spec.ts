// Issue #18, item 1: a lock closes a quarter's report, not the past. A visit and an invoice dated in
// the locked first quarter, entered after the lock, are late entries reported in the second: the
// first quarter's report stays byte for byte what it was, figures by date show them in March.
import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const ELDER = lithuanianCode('3400101123');
type Who = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB';

describe('late entries: dated in a locked quarter, reported in the next open one', () => {
  let t: LedgerTestApp;
  let last = 0;
  const post = (who: Who, path: string, body: object) => request(t.base).post(url(path)).set(t.as(who)).send(body);
  const ok = async (who: Who, path: string, body: object) => {
    const res = await post(who, path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body.position;
    return res.body;
  };
  const get = (who: Who, path: string) =>
    request(t.base)
      .get(url(`${path}${path.includes('?') ? '&' : '?'}position=${last}`))
      .set(t.as(who));
  const getList = (who: Who, path: string) => request(t.base).get(url(path)).set(t.as(who));
  const visit = (occurredOn: string, durationMinutes: number) => ({
    occurredOn,
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes,
    recipient: { personalCode: ELDER },
    workerRef: 'nurse-07',
  });
  const invoice = (occurredOn: string, amount: string, documentRef: string) => ({
    categoryId: 'staff',
    amount,
    occurredOn,
    documentRef,
    description: 'salaries',
  });
  /** The first quarter's report: the register and the lists by reported period, as files. */
  const q1Report = async () => ({
    register: (await getList('finance', '/expenditure-register?period=2024-Q1&format=csv').expect(200)).text,
    expenditures: (await getList('finance', '/expenditures?period=2024-Q1&format=csv').expect(200)).text,
    activities: (await getList('auditor', '/activities?period=2024-Q1&format=csv').expect(200)).text,
    registerJson: (await getList('finance', '/expenditure-register?period=2024-Q1').expect(200)).body,
  });
  let before: Awaited<ReturnType<typeof q1Report>>;
  let lockedAt = 0;
  let lateVisit = '';
  let lateInvoice = '';
  // Records of the first quarter reported in it (no late entries): their report is the locked one.
  let q1Visit = '';
  let q1Expenditure = '';

  beforeAll(async () => {
    t = await startLedgerTestApp(); // today: 2024-06-15
    await seedProject(t);
    q1Visit = (await ok('partnerA', '/activities/service-deliveries', visit('2024-02-10', 60))).activityId;
    const q1Invoice = await ok('partnerA', '/expenditures', invoice('2024-03-14', '1000.00', 'INV-Q1-1'));
    await ok('finance', `/expenditures/${q1Invoice.expenditureId}/verify`, { eligible: '1000.00', ineligible: '0.00' });
    q1Expenditure = q1Invoice.expenditureId;
    await ok('partnerA', '/expenditures', invoice('2024-04-05', '400.00', 'INV-Q2-1'));
    lockedAt = (await ok('auditor', '/periods/2024-Q1/lock', {})).position;
    before = await q1Report();
    const v = await post('partnerA', '/activities/service-deliveries', visit('2024-03-20', 90));
    expect(v.status).toBe(201); // late entries answer 201 like any record
    lateVisit = v.body.activityId;
    const i = await post('partnerA', '/expenditures', invoice('2024-03-25', '250.50', 'INV-Q1-LATE'));
    expect(i.status).toBe(201);
    lateInvoice = i.body.expenditureId;
    last = i.body.position;
  });
  afterAll(() => t.close());

  it("leaves the locked quarter's report byte-identical", async () => {
    const after = await q1Report();
    expect(after.register).toBe(before.register);
    expect(after.expenditures).toBe(before.expenditures);
    expect(after.activities).toBe(before.activities);
    // The JSON register too, but for the ledger position it was read at.
    const { position: p1, ...was } = before.registerJson;
    const { position: p2, ...now } = after.registerJson;
    expect(p2).toBeGreaterThan(p1);
    expect(now).toEqual(was);
    expect(now.totals).toMatchObject({ count: 1, declared: '1000.00', eligible: '1000.00' });
  });

  it('shows each as late, with both dates, in its answer and history', async () => {
    const a = await getList('auditor', `/activities/${lateVisit}`).expect(200);
    expect(a.body.state).toMatchObject({ fields: { occurredOn: '2024-03-20' }, reportedIn: '2024-Q2' });
    expect(a.body.history[0].data).toMatchObject({ reportedIn: '2024-Q2', fields: { occurredOn: '2024-03-20' } });
    const e = await getList('finance', `/expenditures/${lateInvoice}`).expect(200);
    expect(e.body).toMatchObject({ fields: { occurredOn: '2024-03-25' }, reportedIn: '2024-Q2' });
  });

  it("puts them in the second quarter's report, marked late (250.50 + 400.00 = 650.50)", async () => {
    const q2 = await get('finance', '/expenditure-register?period=2024-Q2').expect(200);
    expect(
      q2.body.expenditures.map((r: { documentRef: string; occurredOn: string; reportedIn?: string }) => [
        r.documentRef,
        r.occurredOn,
        r.reportedIn ?? null,
      ]),
    ).toEqual([
      ['INV-Q1-LATE', '2024-03-25', '2024-Q2'],
      ['INV-Q2-1', '2024-04-05', null],
    ]);
    expect(q2.body.totals).toMatchObject({ count: 2, declared: '650.50', pending: '650.50' });
    const csv = (await get('finance', '/expenditure-register?period=2024-Q2&format=csv').expect(200)).text;
    expect(csv.split('\n')[0]).toMatch(/,reported_in,ineligible_reason$/);
    expect(csv).toContain(',INV-Q1-LATE,2024-03-25,pending,250.50,,,,2024-Q2');
    const visits = await get('auditor', '/activities?period=2024-Q2').expect(200);
    expect(visits.body.records).toEqual([
      expect.objectContaining({ id: lateVisit, occurredOn: '2024-03-20', reportedIn: '2024-Q2' }),
    ]);
  });

  it('counts them in their month by occurrence date: March is 1000.00 + 250.50 and 1 h + 1.5 h', async () => {
    const march = await get('finance', '/budget?from=2024-03-01&to=2024-03-31').expect(200);
    expect(march.body.total).toMatchObject({ declared: '1250.50', eligible: '1000.00', pending: '250.50' });
    const byDate = await get('auditor', '/activities?from=2024-03-01&to=2024-03-31').expect(200);
    expect(byDate.body.records.map((r: { id: string }) => r.id)).toEqual([lateVisit]);
    const q1Days = await get('auditor', '/volumes?from=2024-01-01&to=2024-03-31').expect(200);
    expect(q1Days.body.services).toEqual([{ service: 'nursing', setting: 'home', count: 2, hours: 2.5 }]);
  });

  it('marks the late invoice in the audit trail of the budget', async () => {
    const audit = await get('finance', '/audit?figure=budget').expect(200);
    const declared = audit.body.events.filter((e: { type: string }) => e.type === 'ExpenditureDeclared');
    expect(declared.map((e: { lateEntry?: object }) => e.lateEntry ?? null)).toEqual([
      null,
      null,
      { occurredOn: '2024-03-25', reportedIn: '2024-Q2' },
    ]);
  });

  it('reproduces the ledger as of the lock: no late entry there yet', async () => {
    const asOf = await getList('finance', `/budget?asOf=${lockedAt}&from=2024-03-01&to=2024-03-31`).expect(200);
    expect(asOf.body.total).toMatchObject({ declared: '1000.00' });
  });

  it('keeps corrections in the locked quarter as restatements for the agency; a retry is 200', async () => {
    const again = await post('partnerA', '/expenditures', {
      ...invoice('2024-03-25', '250.50', 'INV-Q1-LATE'),
      expenditureId: lateInvoice,
    });
    expect(again.status).toBe(200);
    const corrected = await ok('partnerA', `/activities/service-deliveries/${q1Visit}/corrections`, {
      ...visit('2024-02-10', 65),
      reason: 'the visit ran five minutes longer',
    });
    const history = await getList('auditor', `/activities/${q1Visit}`).expect(200);
    expect(corrected.revision).toBe(1);
    expect(history.body.history.map((h: { type: string }) => h.type)).toEqual([
      'ServiceDelivered',
      'ActivityRestatementProposed',
    ]);
    const refused = await post('partnerA', `/expenditures/${q1Expenditure}/void`, { reason: 'declared twice' });
    expect(refused.status).toBe(409);
  });

  it('corrects and voids a late entry normally while the period it is reported in (Q2) is open', async () => {
    const corrected = await ok('partnerA', `/activities/service-deliveries/${lateVisit}/corrections`, {
      ...visit('2024-03-20', 95),
      reason: 'the visit ran five minutes longer',
    });
    expect(corrected.revision).toBe(1);
    const history = await getList('auditor', `/activities/${lateVisit}`).expect(200);
    expect(history.body.history.map((h: { type: string }) => h.type)).toEqual([
      'ServiceDelivered',
      'ActivityCorrected',
    ]);
    expect(history.body.state).toMatchObject({ fields: { durationMinutes: 95 }, reportedIn: '2024-Q2' });
    const voided = await post('partnerA', `/expenditures/${lateInvoice}/void`, { reason: 'declared twice' });
    expect(voided.status).toBe(201);
  });

  it('says in its 201 answer that a late entry is late, with both periods; a record of an open period says nothing', async () => {
    const late = await post('partnerA', '/expenditures', invoice('2024-03-28', '12.34', 'INV-Q1-LATE-2'));
    expect(late.status).toBe(201);
    expect(late.body.lateEntry).toEqual({ reportedIn: '2024-Q2', occurredOn: '2024-03-28' });
    const visitLate = await post('partnerA', '/activities/service-deliveries', visit('2024-03-29', 30));
    expect(visitLate.body.lateEntry).toEqual({ reportedIn: '2024-Q2', occurredOn: '2024-03-29' });
    const onTime = await post('partnerA', '/expenditures', invoice('2024-04-28', '12.34', 'INV-Q2-2'));
    expect(onTime.status).toBe(201);
    expect(onTime.body).not.toHaveProperty('lateEntry');
  });

  it('still refuses a date outside the project', async () => {
    const res = await post('partnerA', '/expenditures', invoice('2022-12-07', '1.00', 'INV-OLD'));
    expect(res.status).toBe(422);
    expect(res.body.issues[0]).toMatchObject({ field: 'occurredOn', rule: 'within-project-period' });
  });
});
