import ExcelJS from 'exceljs';
import request from 'supertest';
import { binaryBody } from './support/binary-body';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

describe('audit trail: from a figure to the events behind it', () => {
  let t: LedgerTestApp;
  let last = 0;
  const visit = (personalCode: string) => ({
    occurredOn: '2024-03-04',
    service: 'care',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 30,
    recipient: { personalCode },
  });
  let voidedId = '';
  let beforeVoid = 0;

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send(visit(lithuanianCode('4450301123')))
      .expect(201);
    const second = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send(visit(lithuanianCode('3470702123')))
      .expect(201);
    voidedId = second.body.activityId;
    beforeVoid = second.body.position;
    await request(t.base)
      .post(url(`/activities/${voidedId}/void`))
      .set(t.as('partnerA'))
      .send({ reason: 'wrong person' })
      .expect(201);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerB'))
      .send(visit(lithuanianCode('4391111123')))
      .expect(201);
    await request(t.base)
      .put(url('/allocations/visaginas-spc/equipment'))
      .set(t.as('finance'))
      .send({ amount: '500.00' })
      .expect(201);
    const exp = await request(t.base)
      .post(url('/expenditures'))
      .set(t.as('partnerA'))
      .send({
        categoryId: 'equipment',
        amount: '99.99',
        occurredOn: '2024-03-05',
        documentRef: 'INV-1',
        description: 'Slings',
      })
      .expect(201);
    const verified = await request(t.base)
      .post(url(`/expenditures/${exp.body.expenditureId}/verify`))
      .set(t.as('finance'))
      .send({ eligible: '99.99', ineligible: '0.00' })
      .expect(201);
    last = verified.body.position;
    await request(t.base)
      .get(url(`/progress?position=${last}`))
      .set(t.as('auditor'))
      .expect(200);
  });
  afterAll(() => t.close());

  it('lists every event behind persons reached, voids included, in log order with who and when', async () => {
    const res = await request(t.base).get(url('/audit?figure=persons-reached')).set(t.as('auditor')).expect(200);
    expect(res.body.totalEvents).toBe(4);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ServiceDelivered',
      'ServiceDelivered',
      'ActivityVoided',
      'ServiceDelivered',
    ]);
    expect(res.body.events[2]).toMatchObject({
      streamId: `activity-${voidedId}`,
      revision: 1,
      actor: { subject: 'visaginas-user', role: 'partner-submitter' },
    });
    const positions = res.body.events.map((e: { position: number }) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const page2 = await request(t.base)
      .get(url('/audit?figure=persons-reached&page=2&pageSize=3'))
      .set(t.as('auditor'))
      .expect(200);
    expect(page2.body.events).toHaveLength(1);
  });

  it('a partner sees only the events of its own records, whatever partner it names', async () => {
    const res = await request(t.base)
      .get(url('/audit?figure=persons-reached&partnerId=visaginas-spc'))
      .set(t.as('partnerB'))
      .expect(200);
    expect(res.body.totalEvents).toBe(1);
    expect(res.body.events[0].actor).toMatchObject({ partnerId: 'utena-spc' });
    await request(t.base).get(url('/audit?figure=budget')).set(t.as('partnerB')).expect(403);
  });

  it('lists the allocation and expenditure events behind a budget cell', async () => {
    const res = await request(t.base)
      .get(url('/audit?figure=budget&partnerId=visaginas-spc&categoryId=equipment'))
      .set(t.as('finance'))
      .expect(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual([
      'AllocationSet',
      'ExpenditureDeclared',
      'ExpenditureVerified',
    ]);
    const bad = await request(t.base).get(url('/audit?figure=everything')).set(t.as('finance')).expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'figure', rule: 'enum' })]);
  });

  it('answers as the ledger stood at a past position or day, and after a write (?position=)', async () => {
    const then = await request(t.base)
      .get(url(`/audit?figure=persons-reached&asOf=${beforeVoid}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(then.headers['x-ledger-position']).toBe(String(beforeVoid));
    expect(then.body).toMatchObject({ position: beforeVoid, totalEvents: 2 });
    expect(then.body.events.map((e: { type: string }) => e.type)).toEqual(['ServiceDelivered', 'ServiceDelivered']);
    expect(then.body.events.every((e: { position: number }) => e.position <= beforeVoid)).toBe(true);

    const live = await request(t.base)
      .get(url(`/audit?figure=persons-reached&position=${last}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(live.body.position).toBeGreaterThanOrEqual(last);
    expect(live.body.totalEvents).toBe(4);
    // The test clock stands on 2024-06-15: every event was recorded that day, none the day before.
    const today = await request(t.base)
      .get(url('/audit?figure=persons-reached&asOf=2024-06-15'))
      .set(t.as('auditor'))
      .expect(200);
    expect(today.body).toMatchObject({ totalEvents: 4, position: live.body.position });
    // The day before, the project was not registered yet: as for every other figure, not found.
    const dayBefore = await request(t.base)
      .get(url('/audit?figure=budget&asOf=2024-06-14'))
      .set(t.as('finance'))
      .expect(404);
    expect(dayBefore.body.message).toMatch(/not registered/);

    await request(t.base).get(url('/audit?figure=budget&position=999999999')).set(t.as('finance')).expect(503);
    const bad = await request(t.base).get(url('/audit?figure=budget&asOf=soon')).set(t.as('finance')).expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'asOf', rule: 'date-or-position' })]);
    await request(t.base).get('/api/v1/projects/NO-SUCH/audit?figure=budget').set(t.as('finance')).expect(404);
  });

  it('gives a page as CSV, the actor in columns', async () => {
    const res = await request(t.base)
      .get(url('/audit?figure=persons-reached&format=csv'))
      .set(t.as('auditor'))
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="audit-.*-persons-reached-p1-at-\d+\.csv"/,
    );
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('position,event_id,type,stream,revision,recorded_at,actor_subject,actor_role,actor_partner');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(
      new RegExp(
        `^\\d+,[0-9a-f-]{36},ActivityVoided,activity-${voidedId},1,2024-06-15T10:00:00\\.000Z,visaginas-user,partner-submitter,visaginas-spc$`,
      ),
    );
    const wrong = await request(t.base)
      .get(url('/audit?figure=persons-reached&format=pdf'))
      .set(t.as('auditor'))
      .expect(400);
    expect(wrong.body.issues).toEqual([
      expect.objectContaining({ field: 'format', rule: 'enum', message: 'must be json or csv or xlsx' }),
    ]);
  });

  it("gives a page as XLSX: the CSV's rows, headed in Lithuanian, a dialect refused", async () => {
    const csv = await request(t.base).get(url('/audit?figure=persons-reached&format=csv')).set(t.as('auditor'));
    const res = await request(t.base)
      .get(url('/audit?figure=persons-reached&format=xlsx'))
      .set(t.as('auditor'))
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="audit-.*-persons-reached-p1-at-\d+\.xlsx"/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body);
    const sheet = book.getWorksheet('Įvykiai')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Pozicija / Position');
    const rows: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => String(row.getCell(i).value ?? '')).join(','));
    });
    expect(rows).toEqual(csv.text.trim().split('\n').slice(1));
    const dialect = await request(t.base)
      .get(url('/audit?figure=persons-reached&format=xlsx&dialect=excel'))
      .set(t.as('auditor'))
      .expect(400);
    expect(dialect.body.issues).toEqual([expect.objectContaining({ field: 'dialect', rule: 'format-csv-only' })]);
  });

  it('pages after a position (the cursor): each answer names the next, as of a past point too', async () => {
    const get = (query: string) =>
      request(t.base)
        .get(url(`/audit?figure=persons-reached&${query}`))
        .set(t.as('auditor'));
    const all = (await get('pageSize=50').expect(200)).body;
    expect(all.next).toBeUndefined();
    const first = await get('after=0&pageSize=3').expect(200);
    expect(first.body).toMatchObject({ totalEvents: 4, after: 0, pageSize: 3 });
    expect(first.body.page).toBeUndefined();
    const second = await get(`after=${first.body.next}&pageSize=3`).expect(200);
    expect(second.body.next).toBeNull();
    expect([...first.body.events, ...second.body.events]).toEqual(all.events);
    expect(first.body.next).toBe(first.body.events[2].position);

    const then = await get(`asOf=${beforeVoid}&after=0&pageSize=1`).expect(200);
    expect(then.body).toMatchObject({ totalEvents: 2, position: beforeVoid });
    const rest = await get(`asOf=${beforeVoid}&after=${then.body.next}&pageSize=5`).expect(200);
    expect(rest.body.next).toBeNull();
    expect(rest.body.events.map((e: { type: string }) => e.type)).toEqual(['ServiceDelivered']);

    const both = await get('after=0&page=2').expect(400);
    expect(both.body.issues).toEqual([expect.objectContaining({ field: 'after', rule: 'after-or-page' })]);
    await get('after=-1').expect(400);
  });
});
