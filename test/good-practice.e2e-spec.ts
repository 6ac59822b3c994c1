// Good-practice indicators (issue #19 item 6): one row per partner, every figure worked out by hand
// from the records below; a partner sees its own row; CSV and XLSX; as of a point.
import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const [P1, P2, P3, P4, P5] = ['3400101123', '6190512123', '4450301123', '3520715123', '4610203123'].map(lithuanianCode);
const A = 'visaginas-spc';
const B = 'utena-spc';
type Who = 'admin' | 'auditor' | 'partnerA' | 'partnerB' | 'finance';

describe('good-practice indicators', () => {
  let t: LedgerTestApp;
  let beforeUtenaCertificate = 0;
  const post = async (who: Who, path: string, body: object) =>
    (await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(201)).body.position as number;
  const visit = (occurredOn: string, code: string, setting: string, targetGroup: string) => ({
    occurredOn,
    service: 'care',
    targetGroup,
    setting,
    durationMinutes: 60,
    recipient: { personalCode: code },
  });
  const survey = (
    surveyId: string,
    partnerId: string,
    respondentGroup: string,
    respondents: number,
    questions: object[],
  ) => ({
    surveyId,
    partnerId,
    respondentGroup,
    periodFrom: '2024-04-01',
    periodTo: '2024-05-31',
    respondents,
    questions,
  });
  const certificate = (certificateId: string, partnerId: string, validFrom: string, validTo: string) => ({
    certificateId,
    partnerId,
    scheme: 'equass-assurance',
    services: ['care'],
    validFrom,
    validTo,
    certifyingBody: 'EQUASS (EPR)',
    certificateRef: `EQ-${certificateId.slice(-2)}`,
  });
  const table = (who: Who, query = '') =>
    request(t.base)
      .get(url(`/good-practice${query}`))
      .set(t.as(who));

  beforeAll(async () => {
    // Today is 2024-06-15.
    t = await startLedgerTestApp(new Date('2024-06-15T10:00:00Z'));
    await seedProject(t);
    for (const [partnerId, places] of [
      [A, 4],
      [B, 2],
    ] as const)
      await request(t.base)
        .put(url(`/planned-places/${partnerId}`))
        .set(t.as('admin'))
        .send({ places })
        .expect(201);
    // A: P1 twice at home, P2 (a child) at pre-school, P3 at home: 3 persons, 3 of 4 services at home.
    await post('partnerA', '/activities/service-deliveries', visit('2024-04-10', P1!, 'home', 'elderly'));
    await post('partnerA', '/activities/service-deliveries', visit('2024-04-11', P2!, 'pre-school', 'disabled-child'));
    await post('partnerA', '/activities/service-deliveries', visit('2024-05-10', P1!, 'home', 'elderly'));
    await post('partnerA', '/activities/service-deliveries', visit('2024-05-12', P3!, 'home', 'elderly'));
    // B: P4 and P5 at home: 2 persons, 2 of 2 services at home.
    await post('partnerB', '/activities/service-deliveries', visit('2024-04-11', P4!, 'home', 'elderly'));
    await post('partnerB', '/activities/service-deliveries', visit('2024-04-12', P5!, 'home', 'disabled-adult'));
    // A's service users: 16 of 22 answers satisfied; its staff survey does not count for satisfaction.
    await post(
      'auditor',
      '/surveys',
      survey('4e000000-0000-4000-8000-000000000001', A, 'service-users', 12, [
        {
          questionId: 'Q1',
          text: 'Ar esate patenkinti?',
          distribution: { satisfied: 7, 'very-satisfied': 3, neutral: 2 },
        },
        {
          questionId: 'Q2',
          text: 'Ar atvyksta laiku?',
          distribution: { satisfied: 6, dissatisfied: 4, 'no-answer': 2 },
        },
      ]),
    );
    await post(
      'auditor',
      '/surveys',
      survey('4e000000-0000-4000-8000-000000000002', A, 'staff', 5, [
        { questionId: 'Q1', text: 'Ar patenkinti darbu?', distribution: { dissatisfied: 5 } },
      ]),
    );
    // B's service users: 2 of 5 satisfied; a voided survey of all satisfied does not count.
    await post(
      'auditor',
      '/surveys',
      survey('4e000000-0000-4000-8000-000000000003', B, 'service-users', 5, [
        { questionId: 'Q1', text: 'Ar esate patenkinti?', distribution: { satisfied: 2, dissatisfied: 3 } },
      ]),
    );
    const voided = '4e000000-0000-4000-8000-000000000004';
    await post(
      'auditor',
      '/surveys',
      survey(voided, B, 'service-users', 5, [
        { questionId: 'Q1', text: 'Ar esate patenkinti?', distribution: { 'very-satisfied': 5 } },
      ]),
    );
    await post('auditor', `/surveys/${voided}/void`, { reason: 'Ne to laikotarpio' });
    // A's inspection: F-1 due 2024-06-10 (open, overdue on 06-15), F-2 due 2024-06-30 (open).
    const inspectionId = '4e000000-0000-4000-8000-000000000010';
    await post('auditor', '/inspections', {
      inspectionId,
      partnerId: A,
      kind: 'planned',
      scope: 'Integrali pagalba namuose',
      standards: ['equass-rights'],
      startedOn: '2024-05-02',
      endedOn: '2024-05-02',
      inspectorRefs: ['INSP-07'],
    });
    for (const [findingId, dueOn] of [
      ['F-1', '2024-06-10'],
      ['F-2', '2024-06-30'],
    ])
      await post('auditor', `/inspections/${inspectionId}/findings`, {
        findingId,
        standard: 'equass-rights',
        severity: 'minor',
        description: 'Sutikimai nepasirašyti',
        dueOn,
      });
    // A: an expired certificate and a valid one (valid wins); B: one ending 2024-07-31 (46 days: expiring).
    await post(
      'auditor',
      '/certifications',
      certificate('4e000000-0000-4000-8000-000000000021', A, '2022-03-24', '2024-03-23'),
    );
    beforeUtenaCertificate = await post(
      'auditor',
      '/certifications',
      certificate('4e000000-0000-4000-8000-000000000022', A, '2024-01-10', '2027-01-09'),
    );
    await post(
      'auditor',
      '/certifications',
      certificate('4e000000-0000-4000-8000-000000000023', B, '2021-08-01', '2024-07-31'),
    );
  });
  afterAll(() => t.close());

  const ROW_A = {
    partnerId: A,
    plannedPlaces: 4,
    personsServed: 3,
    capacityUsePercent: 75,
    targetGroups: [
      { targetGroup: 'disabled-child', persons: 1, percent: 33.3 },
      { targetGroup: 'disabled-adult', persons: 0, percent: 0 },
      { targetGroup: 'elderly', persons: 2, percent: 66.7 },
    ],
    homeServices: 3,
    allServices: 4,
    homeSharePercent: 75,
    satisfactionPercent: 72.7,
    satisfactionAnswers: 22,
    openFindings: 2,
    overdueFindings: 1,
    certificate: 'valid',
  };
  const ROW_B = {
    partnerId: B,
    plannedPlaces: 2,
    personsServed: 2,
    capacityUsePercent: 100,
    targetGroups: [
      { targetGroup: 'disabled-child', persons: 0, percent: 0 },
      { targetGroup: 'disabled-adult', persons: 1, percent: 50 },
      { targetGroup: 'elderly', persons: 1, percent: 50 },
    ],
    homeServices: 2,
    allServices: 2,
    homeSharePercent: 100,
    satisfactionPercent: 40,
    satisfactionAnswers: 5,
    openFindings: 0,
    overdueFindings: 0,
    certificate: 'expiring',
  };

  it('one row per partner, each indicator as worked out by hand', async () => {
    const res = await table('auditor').expect(200);
    expect(res.body).toMatchObject({ today: '2024-06-15', expiringWithinDays: 60 });
    expect(res.body.partners).toEqual([ROW_A, ROW_B]);
  });

  it('a partner sees its own row only; finance is refused; admin reads', async () => {
    expect((await table('partnerA').expect(200)).body.partners).toEqual([ROW_A]);
    expect((await table('partnerB').expect(200)).body.partners).toEqual([ROW_B]);
    await table('finance').expect(403);
    await table('admin').expect(200);
  });

  it('as of a point before Utena was certified, its certificate is none; with a 30-day warning it is valid', async () => {
    const then = await table('auditor', `?asOf=${beforeUtenaCertificate}`).expect(200);
    expect(then.body.partners[1]).toMatchObject({ partnerId: B, certificate: 'none' });
    const shorter = await table('auditor', '?expiringWithinDays=30').expect(200);
    expect(shorter.body.partners[1]).toMatchObject({ certificate: 'valid' });
  });

  it('as CSV (a partner a line) and XLSX', async () => {
    const csv = await table('auditor', '?format=csv').expect(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toContain('partner,planned_places,persons_served,capacity_use_percent');
    expect(lines[1]).toBe(`${A},4,3,75,1,33.3,0,0,2,66.7,3,4,75,72.7,22,2,1,valid`);
    expect(lines[2]).toBe(`${B},2,2,100,0,0,1,50,1,50,2,2,100,40,5,0,0,expiring`);
    const xlsx = await table('auditor', '?format=xlsx').expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('planned places: only the admin sets them; a bad partner or count is refused naming the field', async () => {
    await request(t.base)
      .put(url(`/planned-places/${A}`))
      .set(t.as('auditor'))
      .send({ places: 5 })
      .expect(403);
    const bad = await request(t.base)
      .put(url(`/planned-places/${A}`))
      .set(t.as('admin'))
      .send({ places: -1 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('places');
    const unknown = await request(t.base).put(url('/planned-places/nowhere')).set(t.as('admin')).send({ places: 5 });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body)).toContain('registered-partner');
    await request(t.base)
      .put(url(`/planned-places/${A}`))
      .set(t.as('admin'))
      .send({ places: 4 })
      .expect(200);
  });
});
