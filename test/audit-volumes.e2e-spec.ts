import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

/** What an audit line is checked against: the write answer that made the event. */
interface Written {
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
}

describe('audit trail of the activity volumes: the events behind each volume, by kind and partner', () => {
  let t: LedgerTestApp;
  const ev: Record<string, Written> = {};
  let expenditureId = '';
  let consultationId = '';

  /** Posts, and remembers the event it wrote under `name`. */
  async function write(name: string, type: string, who: keyof LedgerTestApp['tokens'], path: string, body: object) {
    const res = await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(201);
    // The answer's position may be past the record's event (a recipient's profile follows it): take
    // the event's own position from the stream, at the revision the answer names.
    const [own] = await t.store.readStream(res.body.streamId, { fromRevision: res.body.revision, maxCount: 1 });
    ev[name] = { type, streamId: res.body.streamId, revision: res.body.revision, position: own!.position };
    expect(res.body.position).toBeGreaterThanOrEqual(own!.position);
    return res.body as { activityId?: string; expenditureId?: string };
  }
  const service = (personalCode: string) => ({
    occurredOn: '2024-04-10',
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 60,
    recipient: { personalCode },
  });
  const consultation = (durationMinutes: number) => ({
    occurredOn: '2024-04-11',
    topic: 'preparing-to-care',
    durationMinutes,
    familyMembers: 2,
  });
  const expenditure = (amount: string) => ({
    categoryId: 'equipment',
    amount,
    occurredOn: '2024-04-12',
    documentRef: 'INV-77',
    description: 'Hoist',
  });
  const audit = (who: keyof LedgerTestApp['tokens'], query: string) =>
    request(t.base)
      .get(url(`/audit?${query}`))
      .set(t.as(who));
  const lines = (body: { events: Written[] }) =>
    body.events.map(({ type, streamId, revision, position }) => ({ type, streamId, revision, position }));

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    const a1 = await write('a1', 'ServiceDelivered', 'partnerA', '/activities/service-deliveries', {
      ...service(lithuanianCode('3400101123')),
    });
    consultationId = (
      await write(
        'a2',
        'CaregiverConsultationHeld',
        'partnerA',
        '/activities/caregiver-consultations',
        consultation(60),
      )
    ).activityId!;
    await write(
      'a2fix',
      'ActivityCorrected',
      'partnerA',
      `/activities/caregiver-consultations/${consultationId}/corrections`,
      {
        ...consultation(90),
        reason: 'the visit ran longer',
      },
    );
    const a3 = await write('a3', 'TrainingHeld', 'partnerA', '/activities/trainings', {
      occurredOn: '2024-04-15',
      trainingKind: 'competence',
      topic: 'Lifting',
      durationMinutes: 120,
      participants: 5,
    });
    await write('a3void', 'ActivityVoided', 'partnerA', `/activities/${a3.activityId}/void`, { reason: 'cancelled' });
    await write('b1', 'InformalHelpEventHeld', 'partnerB', '/activities/promotion-events', {
      occurredOn: '2024-04-20',
      audience: 'community',
      title: 'Informal help day',
      attendees: 40,
    });
    await write('b2', 'ServiceDelivered', 'partnerB', '/activities/service-deliveries', {
      ...service(lithuanianCode('4450301123')),
    });
    await write('a1ok', 'ActivityVerified', 'auditor', `/activities/${a1.activityId}/verify`, { note: 'log checked' });
    expenditureId = (await write('e1', 'ExpenditureDeclared', 'partnerA', '/expenditures', expenditure('99.99')))
      .expenditureId!;
    await write('e1fix', 'ExpenditureCorrected', 'partnerA', `/expenditures/${expenditureId}/corrections`, {
      ...expenditure('120.00'),
      reason: 'the invoice had a second page',
    });
    // The audit reads the read models: wait until they hold the last write.
    await request(t.base)
      .get(url(`/progress?position=${ev.e1fix!.position}`))
      .set(t.as('auditor'))
      .expect(200);
  });
  afterAll(() => t.close());

  it('lists every event of every activity record, corrections, voids and reviews included, in log order', async () => {
    const res = await audit('auditor', 'figure=volumes').expect(200);
    expect(res.body).toMatchObject({ figure: 'volumes', page: 1, pageSize: 50, totalEvents: 8 });
    expect(lines(res.body)).toEqual(['a1', 'a2', 'a2fix', 'a3', 'a3void', 'b1', 'b2', 'a1ok'].map((name) => ev[name]));
    expect(res.body.events[2]).toMatchObject({
      actor: { subject: 'visaginas-user', role: 'partner-submitter', partnerId: 'visaginas-spc' },
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.body.events[7].actor).toMatchObject({ subject: 'auditor-1', role: 'agency-auditor' });
    const page2 = await audit('finance', 'figure=volumes&page=2&pageSize=5').expect(200);
    expect(lines(page2.body)).toEqual(['b1', 'b2', 'a1ok'].map((name) => ev[name]));
  });

  it('narrows to one kind, one partner, or both', async () => {
    const services = await audit('auditor', 'figure=volumes&kind=service-delivered').expect(200);
    expect(lines(services.body)).toEqual(['a1', 'b2', 'a1ok'].map((name) => ev[name]));
    const utena = await audit('auditor', 'figure=volumes&partnerId=utena-spc').expect(200);
    expect(lines(utena.body)).toEqual(['b1', 'b2'].map((name) => ev[name]));
    const trainings = await audit('auditor', 'figure=volumes&partnerId=visaginas-spc&kind=training-held').expect(200);
    expect(lines(trainings.body)).toEqual(['a3', 'a3void'].map((name) => ev[name]));
    const none = await audit('auditor', 'figure=volumes&kind=equipment-procured').expect(200);
    expect(none.body).toMatchObject({ totalEvents: 0, events: [] });
  });

  it('a partner sees the events of its own records only, whatever partner it names', async () => {
    const own = await audit('partnerB', 'figure=volumes&partnerId=visaginas-spc').expect(200);
    expect(lines(own.body)).toEqual(['b1', 'b2'].map((name) => ev[name]));
    const ownServices = await audit('partnerB', 'figure=volumes&kind=service-delivered').expect(200);
    expect(lines(ownServices.body)).toEqual([ev.b2]);
    const partnerA = await audit('partnerA', 'figure=volumes').expect(200);
    expect(lines(partnerA.body)).toEqual(['a1', 'a2', 'a2fix', 'a3', 'a3void', 'a1ok'].map((name) => ev[name]));
  });

  it('refuses an unknown kind, and a filter the figure does not use, naming the field and the rule', async () => {
    const unknown = await audit('auditor', 'figure=volumes&kind=massage').expect(400);
    expect(unknown.body.issues).toEqual([expect.objectContaining({ field: 'kind', rule: 'enum', value: 'massage' })]);
    expect(unknown.body.message).toMatch(/^kind: must be one of service-delivered, .*promotion-event$/);
    const kindElsewhere = await audit('auditor', 'figure=persons-reached&kind=service-delivered').expect(400);
    expect(kindElsewhere.body.issues).toEqual([
      expect.objectContaining({ field: 'kind', rule: 'figure-volumes-only' }),
    ]);
    const categoryElsewhere = await audit('auditor', 'figure=volumes&categoryId=equipment').expect(400);
    expect(categoryElsewhere.body.issues).toEqual([
      expect.objectContaining({ field: 'categoryId', rule: 'figure-budget-only' }),
    ]);
    const bothKinds = await audit('auditor', 'figure=volumes&kind=training-held&kind=service-delivered').expect(400);
    // Repeated, not one of the kinds: the answer could only pick one of them.
    expect(bothKinds.body.issues).toEqual([expect.objectContaining({ field: 'kind', rule: 'repeated-parameter' })]);
  });

  it('each record reads back with its full history: previous and corrected values, who and when', async () => {
    const activity = await request(t.base)
      .get(url(`/activities/${consultationId}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(activity.body.history.map((h: Written) => [h.type, h.position])).toEqual([
      ['CaregiverConsultationHeld', ev.a2!.position],
      ['ActivityCorrected', ev.a2fix!.position],
    ]);
    expect(activity.body.history[1]).toMatchObject({
      actor: { subject: 'visaginas-user' },
      data: { reason: 'the visit ran longer', previous: { durationMinutes: 60 }, fields: { durationMinutes: 90 } },
    });
    const cost = await request(t.base)
      .get(url(`/expenditures/${expenditureId}`))
      .set(t.as('finance'))
      .expect(200);
    expect(cost.body.fields.amount).toBe('120.00');
    expect(cost.body.history.map((h: Written) => [h.type, h.position])).toEqual([
      ['ExpenditureDeclared', ev.e1!.position],
      ['ExpenditureCorrected', ev.e1fix!.position],
    ]);
    expect(cost.body.history[1]).toMatchObject({
      actor: { subject: 'visaginas-user', partnerId: 'visaginas-spc' },
      data: {
        reason: 'the invoice had a second page',
        previous: { amountCents: 9999 },
        fields: { amountCents: 12000 },
      },
    });
    await request(t.base)
      .get(url(`/expenditures/${expenditureId}`))
      .set(t.as('partnerB'))
      .expect(404);
  });
});
