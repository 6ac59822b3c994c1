// Simplified cost options (issue #18 item 3) against hand-computed figures: a unit cost paid on
// verified hours of home care, one on training participant-hours, and a flat rate of indirect costs
// on verified staff costs, beside the real costs in the budget, reconciled to the cent.
import request from 'supertest';
import { lithuanianCode, REFERENCE, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const SCO = {
  unitCosts: [
    {
      id: 'home-care-hour',
      title: 'Valanda priežiūros namuose',
      categoryId: 'services',
      rate: '24.65',
      volume: 'service-hours',
      service: 'care',
      setting: 'home',
    },
    {
      id: 'training-participant-hour',
      title: 'Mokymų dalyvio valanda',
      categoryId: 'training',
      rate: '7.35',
      volume: 'training-participant-hours',
    },
  ],
  flatRates: [
    {
      id: 'indirect-15',
      title: 'Netiesioginės išlaidos',
      categoryId: 'indirect',
      percent: '15.00',
      baseCategories: ['staff'],
    },
  ],
};

describe('simplified cost options in the budget, hand-computed', () => {
  let t: LedgerTestApp;
  let beforeUtena = 0;
  let careAtHome = '';

  const record = async (who: 'partnerA' | 'partnerB', path: string, body: object) =>
    (await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(201)).body as {
      activityId?: string;
      expenditureId?: string;
      position: number;
    };
  const visit = (who: 'partnerA' | 'partnerB', service: string, setting: string, minutes: number, n: string) =>
    record(who, '/activities/service-deliveries', {
      occurredOn: '2024-05-06',
      service,
      targetGroup: 'elderly',
      setting,
      durationMinutes: minutes,
      recipient: { personalCode: lithuanianCode(`3400101${n}`) },
    }).then((r) => r.activityId!);
  const verify = (id: string) =>
    request(t.base)
      .post(url(`/activities/${id}/verify`))
      .set(t.as('auditor'))
      .send({})
      .expect(201);
  const cost = async (who: 'partnerA' | 'partnerB', categoryId: string, amount: string, eligible: string) => {
    const { expenditureId } = await record(who, '/expenditures', {
      categoryId,
      amount,
      occurredOn: '2024-05-10',
      documentRef: `INV-${amount}`,
      description: 'cost',
    });
    const ineligible = ((Math.round(Number(amount) * 100) - Math.round(Number(eligible) * 100)) / 100).toFixed(2);
    return request(t.base)
      .post(url(`/expenditures/${expenditureId}/verify`))
      .set(t.as('finance'))
      .send({ eligible, ineligible, ...(ineligible !== '0.00' ? { ineligibleReason: 'not-in-approved-budget' } : {}) })
      .expect(201);
  };

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await request(t.base)
      .post('/api/v1/projects')
      .set(t.as('admin'))
      .send({ ...REFERENCE, simplifiedCosts: SCO })
      .expect(201);
    await request(t.base)
      .post(url('/partners'))
      .set(t.as('admin'))
      .send({ id: 'utena-spc', name: 'Utenos SPC', municipality: 'Utena', joinedOn: '2023-02-01' })
      .expect(201);
    // Visaginas: 90 verified minutes of care at home count; pending, rejected, nursing and pre-school do not.
    careAtHome = await visit('partnerA', 'care', 'home', 90, '001');
    await verify(careAtHome);
    await visit('partnerA', 'care', 'home', 60, '002'); // pending
    const rejected = await visit('partnerA', 'care', 'home', 50, '003');
    await request(t.base)
      .post(url(`/activities/${rejected}/reject`))
      .set(t.as('auditor'))
      .send({ reason: 'no visit log' })
      .expect(201);
    await verify(await visit('partnerA', 'nursing', 'home', 30, '004'));
    // A training: 12 participants × 480 minutes = 96 participant-hours.
    const training = await record('partnerA', '/activities/trainings', {
      occurredOn: '2024-05-07',
      trainingKind: 'competence',
      topic: 'Safe transfer',
      durationMinutes: 480,
      participants: 12,
    });
    await verify(training.activityId!);
    // Staff costs: eligible 1,000.01 + 333.33 = 1,333.34; 250.00 in another category is no base.
    await cost('partnerA', 'staff', '1000.01', '1000.01');
    await cost('partnerA', 'staff', '400.00', '333.33');
    await cost('partnerA', 'equipment', '250.00', '250.00');
    beforeUtena = (await request(t.base).get(url('/budget')).set(t.as('finance')).expect(200)).body.position;
    // Utena: 100 + 42 verified minutes of care at home; staff eligible 0.10.
    await verify(await visit('partnerB', 'care', 'home', 100, '005'));
    await verify(await visit('partnerB', 'care', 'home', 42, '006'));
    await cost('partnerB', 'staff', '0.10', '0.10');
  });
  afterAll(() => t.close());

  it('the budget shows each option per partner, computed and rounded half up once per option and partner', async () => {
    const { body } = await request(t.base).get(url('/budget')).set(t.as('finance')).expect(200);
    const sco = body.simplifiedCosts;
    expect(sco.rounding).toBe('half-up to the cent, once per option and partner');
    expect(
      sco.lines.map((l: { scoId: string; partnerId: string; records: number; amount: string }) => [
        l.scoId,
        l.partnerId,
        l.records,
        l.amount,
      ]),
    ).toEqual([
      // 142 min × 24.65 / 60 = 58.3383… → 58.34
      ['home-care-hour', 'utena-spc', 2, '58.34'],
      // 90 min × 24.65 / 60 = 36.975 → 36.98 (half up)
      ['home-care-hour', 'visaginas-spc', 1, '36.98'],
      // 5,760 participant-minutes = 96 h × 7.35 = 705.60
      ['training-participant-hour', 'visaginas-spc', 1, '705.60'],
      // 15 % of 0.10 = 0.015 → 0.02 (half up)
      ['indirect-15', 'utena-spc', 1, '0.02'],
      // 15 % of 1,333.34 = 200.001 → 200.00
      ['indirect-15', 'visaginas-spc', 2, '200.00'],
    ]);
    expect(sco.lines[1]).toMatchObject({
      type: 'unit-cost',
      rate: '24.65',
      volume: { measured: 90, measuredIn: 'minutes', perUnit: 60, unit: 'hour' },
      categoryId: 'services',
    });
    expect(sco.lines[4]).toMatchObject({
      type: 'flat-rate',
      percentBp: 1500,
      base: '1333.34',
      baseCategories: ['staff'],
    });
    expect(sco.total).toEqual({ amount: '1000.94' });
    expect(sco.byPartner).toEqual({
      'utena-spc': { amount: '58.36', byCategory: { services: { amount: '58.34' }, indirect: { amount: '0.02' } } },
      'visaginas-spc': {
        amount: '942.58',
        byCategory: { services: { amount: '36.98' }, training: { amount: '705.60' }, indirect: { amount: '200.00' } },
      },
    });
    expect(sco.byCategory).toEqual({
      services: { amount: '95.32' },
      training: { amount: '705.60' },
      indirect: { amount: '200.02' },
    });
    // Beside the real costs, not in them: the real eligible total is 1,000.01 + 333.33 + 250.00 + 0.10.
    expect(body.total.eligible).toBe('1583.44');
  });

  it('the audit trail leads from a line to the events of the records behind it', async () => {
    const { body } = await request(t.base).get(url('/budget')).set(t.as('finance')).expect(200);
    const line = body.simplifiedCosts.lines[1];
    expect(line.audit).toEqual(['figure=volumes&kind=service-delivered&partnerId=visaginas-spc']);
    const trail = await request(t.base)
      .get(url(`/audit?${line.audit[0]}`))
      .set(t.as('auditor'))
      .expect(200);
    // Visaginas's four service records (created), two verified, one rejected; the 90 minutes verified among them.
    expect(trail.body.totalEvents).toBe(7);
    const events = trail.body.events as { type: string; streamId: string }[];
    expect(events.filter((e) => e.streamId === `activity-${careAtHome}`).map((e) => e.type)).toEqual([
      'ServiceDelivered',
      'ActivityVerified',
    ]);
    const flat = body.simplifiedCosts.lines[4];
    expect(flat.audit).toEqual(['figure=budget&categoryId=staff&partnerId=visaginas-spc']);
  });

  it('figure=sco lists exactly the events of the records an amount counts, nothing wider', async () => {
    const { body } = await request(t.base).get(url('/budget')).set(t.as('finance')).expect(200);
    const trail = async (query: string, who: 'auditor' | 'partnerA' = 'auditor') =>
      (
        await request(t.base)
          .get(url(`/audit?${query}`))
          .set(t.as(who))
          .expect(200)
      ).body as {
        totalEvents: number;
        events: { type: string; streamId: string }[];
      };
    // Visaginas's home care: the one verified visit (created, verified); not the pending, rejected or nursing ones.
    const care = body.simplifiedCosts.lines[1];
    expect(care.scoAudit).toBe('figure=sco&optionId=home-care-hour&partnerId=visaginas-spc');
    const careTrail = await trail(care.scoAudit);
    expect(careTrail.totalEvents).toBe(2);
    expect(careTrail.events.map((e) => [e.streamId, e.type])).toEqual([
      [`activity-${careAtHome}`, 'ServiceDelivered'],
      [`activity-${careAtHome}`, 'ActivityVerified'],
    ]);
    // Utena's two verified visits, two events each.
    expect((await trail('figure=sco&optionId=home-care-hour&partnerId=utena-spc')).totalEvents).toBe(4);
    // The flat rate: Visaginas's two verified staff costs (recorded, verified), not the equipment.
    const flat = await trail(body.simplifiedCosts.lines[4].scoAudit);
    expect(flat.totalEvents).toBe(4);
    expect(new Set(flat.events.map((e) => e.streamId)).size).toBe(2);
    // Project-wide: both partners' lines.
    expect((await trail('figure=sco&optionId=home-care-hour')).totalEvents).toBe(6);
    // A partner audits its own amounts only, whatever it names.
    expect((await trail('figure=sco&optionId=home-care-hour&partnerId=utena-spc', 'partnerA')).totalEvents).toBe(2);
    // As of before Utena's records: nothing behind its amount then.
    expect(
      (await trail(`figure=sco&optionId=home-care-hour&partnerId=utena-spc&asOf=${beforeUtena}`)).totalEvents,
    ).toBe(0);
    const paged = await trail('figure=sco&optionId=home-care-hour&pageSize=4&page=2');
    expect(paged.events).toHaveLength(2);
  });

  it('as of a past position: the options as they stood then (Utena had nothing verified)', async () => {
    const { body } = await request(t.base)
      .get(url(`/budget?asOf=${beforeUtena}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(body.simplifiedCosts.total).toEqual({ amount: '942.58' });
    expect(body.simplifiedCosts.byPartner).not.toHaveProperty('utena-spc');
  });

  it('the project answers its options as registered: rates as decimal strings', async () => {
    const { body } = await request(t.base).get(url('')).set(t.as('finance')).expect(200);
    expect(body.simplifiedCosts.unitCosts[0]).toMatchObject({ id: 'home-care-hour', rate: '24.65' });
    expect(body.simplifiedCosts.flatRates[0]).toMatchObject({
      id: 'indirect-15',
      rateBp: 1500,
      baseCategories: ['staff'],
    });
  });

  it('one partner’s budget holds its own lines only', async () => {
    const { body } = await request(t.base).get(url('/budget?partnerId=utena-spc')).set(t.as('finance')).expect(200);
    expect(body.simplifiedCosts.total).toEqual({ amount: '58.36' });
    expect(body.simplifiedCosts.lines.map((l: { partnerId: string }) => l.partnerId)).toEqual([
      'utena-spc',
      'utena-spc',
    ]);
  });

  it('a definition with a typed amount or a float rate is refused at registration, naming the field and the rule', async () => {
    const register = (simplifiedCosts: object) =>
      request(t.base)
        .post('/api/v1/projects')
        .set(t.as('admin'))
        .send({ ...REFERENCE, code: 'SCO-BAD', simplifiedCosts });
    const float = await register({ flatRates: [{ ...SCO.flatRates[0], percent: 15 }] }).expect(400);
    expect(float.body.issues).toContainEqual(
      expect.objectContaining({ field: 'simplifiedCosts.flatRates[0].percent', rule: 'isString' }),
    );
    const typed = await register({ unitCosts: [{ ...SCO.unitCosts[1], amount: '100.00' }] }).expect(400);
    expect(typed.body.issues).toContainEqual(
      expect.objectContaining({ field: 'simplifiedCosts.unitCosts[0].amount', rule: 'unknown-field' }),
    );
    const own = await register({ flatRates: [{ ...SCO.flatRates[0], baseCategories: ['indirect'] }] }).expect(422);
    expect(own.body.issues).toEqual([
      expect.objectContaining({ field: 'simplifiedCosts.flatRates[0].baseCategories', rule: 'not-own-category' }),
    ]);
    await request(t.base).get('/api/v1/projects/SCO-BAD').set(t.as('admin')).expect(404);
  });
});
