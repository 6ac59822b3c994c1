import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { findCheckpointToken, verifyEventLog } from '@ihl/event-store';
import { XMLParser } from 'fast-xml-parser';
import { vilniusDate } from '@ihl/application';
import { periodOf } from '@ihl/domain';
import {
  CODE,
  lithuanianCode,
  seedProject,
  startLedgerTestApp,
  type LedgerTestApp,
  url,
} from './support/ledger-test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parsed XML's shape is what the assertions check
type Parsed = any;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) =>
    ['participating-org', 'activity-date', 'budget', 'transaction', 'period', 'narrative'].includes(name),
});
const cents = (money: string) => Math.round(Number(money) * 100);

describe('exports: IATI 2.03 activity file, checked against a hand-built scenario', () => {
  let t: LedgerTestApp;
  const visit = (personalCode: string, occurredOn: string) => ({
    occurredOn,
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 60,
    recipient: { personalCode },
  });
  const deliver = async (who: 'partnerA' | 'partnerB', personalCode: string, occurredOn: string) =>
    (
      await request(t.base)
        .post(url('/activities/service-deliveries'))
        .set(t.as(who))
        .send(visit(personalCode, occurredOn))
        .expect(201)
    ).body as { activityId: string; position: number };
  const declare = async (who: 'partnerA' | 'partnerB', categoryId: string, amount: string, occurredOn: string) =>
    (
      await request(t.base)
        .post(url('/expenditures'))
        .set(t.as(who))
        .send({ categoryId, amount, occurredOn, documentRef: `INV-${amount}`, description: 'Jonas Jonaitis salary' })
        .expect(201)
    ).body as { expenditureId: string; position: number };
  const verify = async (id: string, eligible: string, ineligible: string) =>
    (
      await request(t.base)
        .post(url(`/expenditures/${id}/verify`))
        .set(t.as('finance'))
        .send({
          eligible,
          ineligible,
          ...(ineligible !== '0.00' ? { ineligibleReason: 'not-in-approved-budget' } : {}),
        })
        .expect(201)
    ).body as { position: number };
  const iati = (query = '', who: keyof LedgerTestApp['tokens'] = 'auditor') =>
    request(t.base)
      .get(url(`/exports/iati${query}`))
      .set(t.as(who));

  const [anna, jonas, ona, petras, rasa] = ['4450301123', '3470702123', '4391111123', '3520101123', '4600505123'].map(
    lithuanianCode,
  ) as [string, string, string, string, string];
  const ids: Record<string, string> = {};
  let lastPosition = 0;

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    // Persons: Anna (A, 2023-Q1; again 2024), Jonas (B, 2023-Q2), Ona (A, 2024-Q1); Petras's only visit is voided.
    await deliver('partnerA', anna, '2023-02-10');
    await deliver('partnerA', anna, '2024-03-01');
    await deliver('partnerB', jonas, '2023-05-05');
    await deliver('partnerA', ona, '2024-03-03');
    const petrasVisit = await deliver('partnerB', petras, '2024-03-10');
    await request(t.base)
      .post(url(`/activities/${petrasVisit.activityId}/void`))
      .set(t.as('partnerB'))
      .send({ reason: 'wrong person' })
      .expect(201);
    // Expenditure: two verified with an eligible part; the others pending, wholly ineligible, voided, or
    // corrected after verification (which needs a new verification).
    ids.staff = (await declare('partnerA', 'staff', '1000.00', '2023-03-31')).expenditureId;
    await verify(ids.staff, '900.00', '100.00');
    ids.equipment = (await declare('partnerB', 'equipment', '250.50', '2024-01-15')).expenditureId;
    await verify(ids.equipment, '250.50', '0.00');
    await declare('partnerA', 'services', '300.00', '2023-06-30');
    await verify((await declare('partnerA', 'staff', '40.00', '2023-09-30')).expenditureId, '0.00', '40.00');
    const voided = (await declare('partnerB', 'equipment', '77.77', '2023-12-01')).expenditureId;
    await verify(voided, '77.77', '0.00');
    await request(t.base)
      .post(url(`/expenditures/${voided}/void`))
      .set(t.as('partnerB'))
      .send({ reason: 'double entry' })
      .expect(201);
    const corrected = (await declare('partnerA', 'training', '60.00', '2024-02-02')).expenditureId;
    await verify(corrected, '60.00', '0.00');
    const last = await request(t.base)
      .post(url(`/expenditures/${corrected}/corrections`))
      .set(t.as('partnerA'))
      .send({
        categoryId: 'training',
        amount: '65.00',
        occurredOn: '2024-02-02',
        documentRef: 'INV-60.00',
        description: 'course fee',
        reason: 'the invoice was 65.00',
      })
      .expect(201);
    lastPosition = last.body.position;
  });
  afterAll(() => t.close());

  it('carries the checkpoint it was built on, which proves its prefix of the log unaltered', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const taken = t.store.takeCheckpoint(privateKey)!;
    const res = await iati(`?position=${taken.position}`).expect(200);
    expect(res.headers['x-ledger-checkpoint']).toBe(String(taken.position));
    const carried = findCheckpointToken(res.text);
    expect(carried).toEqual(taken);
    expect(parser.parse(res.text)['iati-activities']).toMatchObject({ version: '2.03' });
    const file = join(t.dir, 'events.sqlite');
    expect(verifyEventLog(file, { publicKey, upTo: carried!.position, expect: carried! }).ok).toBe(true);
    const forged = { ...carried!, hash: carried!.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    expect(verifyEventLog(file, { publicKey, upTo: forged.position, expect: forged }).fault).toMatchObject({
      kind: 'checkpoint',
    });
  });

  it('answers one activity as XML at the position it reflects, with the time of that position', async () => {
    const res = await iati(`?position=${lastPosition}`).expect(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const position = Number(res.headers['x-ledger-position']);
    expect(position).toBeGreaterThanOrEqual(lastPosition);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="iati-${CODE}-at-${position}.xml"`);
    const doc = parser.parse(res.text) as Parsed;
    const [event] = await t.store.readAll({ after: position - 1, maxCount: 1 });
    expect(event!.position).toBe(position);
    expect(doc['iati-activities']).toMatchObject({ version: '2.03', 'generated-datetime': event!.recordedAt });
    const a = doc['iati-activities']['iati-activity'];
    expect(a['iati-identifier']).toBe(`LT-RC-ESFA-${CODE}`);
    expect(a.title.narrative).toEqual([
      { '#text': 'Integralios pagalbos teikimas ir plėtra Lietuvos savivaldybėse', 'xml:lang': 'lt' },
      'Provision and development of integral help in Lithuanian municipalities',
    ]);
    expect(a['participating-org'].map((o: Parsed) => [o.role, o.narrative[0]])).toEqual([
      ['1', 'Europos socialinio fondo agentūra (European Social Fund Agency, ESFA)'],
      ['4', 'Visagino socialinių paslaugų centras'],
      ['4', 'Utenos rajono socialinių paslaugų centras'],
    ]);
    expect(a['recipient-country']).toMatchObject({ code: 'LT' });
    expect(a.sector).toMatchObject({ vocabulary: '1', code: '16010' });
  });

  it('budgets add up to the envelope, EUR 43,940,212.00, one per project year', async () => {
    const a = parser.parse((await iati().expect(200)).text)['iati-activities']['iati-activity'];
    expect(a.budget.map((b: Parsed) => b['period-start']['iso-date'])).toEqual([
      '2022-12-08',
      '2023-01-01',
      '2024-01-01',
      '2025-01-01',
      '2026-01-01',
    ]);
    expect(a.budget.reduce((sum: number, b: Parsed) => sum + cents(b.value['#text']), 0)).toBe(4_394_021_200);
    for (const b of a.budget)
      expect(b.value).toMatchObject({ currency: 'EUR', 'value-date': b['period-start']['iso-date'] });
  });

  it('transactions: the verified eligible part of each expenditure, and they sum to the budget’s eligible total', async () => {
    const res = await iati().expect(200);
    const a = parser.parse(res.text)['iati-activities']['iati-activity'];
    expect(
      a.transaction.map((x: Parsed) => [
        x.ref,
        x['transaction-type'].code,
        x['transaction-date']['iso-date'],
        x.value['#text'],
        x.value['value-date'],
        x.description.narrative[0],
        x['provider-org'].narrative[0],
      ]),
    ).toEqual([
      [
        ids.staff,
        '4',
        '2023-03-31',
        '900.00',
        '2023-03-31',
        'Staff costs of integral-help workers',
        'Visagino socialinių paslaugų centras',
      ],
      [
        ids.equipment,
        '4',
        '2024-01-15',
        '250.50',
        '2024-01-15',
        'Nursing aids, equipment and devices',
        'Utenos rajono socialinių paslaugų centras',
      ],
    ]);
    const budget = await request(t.base)
      .get(url(`/budget?asOf=${res.headers['x-ledger-position']}`))
      .set(t.as('finance'))
      .expect(200);
    expect(budget.body.total.eligible).toBe('1150.50');
    expect(a.transaction.reduce((sum: number, x: Parsed) => sum + cents(x.value['#text']), 0)).toBe(
      cents(budget.body.total.eligible),
    );
    // Counts and amounts only: no pseudonyms, personal codes or the partners' free text.
    for (const secret of ['p1_', anna, jonas, 'Jonas Jonaitis', 'INV-']) expect(res.text).not.toContain(secret);
  });

  it('the persons indicator: baseline 0, target 4,018 in the deadline quarter, cumulative actuals per quarter', async () => {
    const res = await iati().expect(200);
    const doc = parser.parse(res.text);
    const indicator = doc['iati-activities']['iati-activity'].result.indicator;
    expect(indicator).toMatchObject({ measure: '1', ascending: '1', 'aggregation-status': '0' });
    expect(indicator.baseline).toMatchObject({ year: '2022', value: '0' });
    const periods = indicator.period.map((p: Parsed) => ({
      start: p['period-start']['iso-date'],
      end: p['period-end']['iso-date'],
      target: p.target?.value,
      actual: p.actual?.value,
    }));
    // Anna 2023-Q1, Jonas 2023-Q2, Ona 2024-Q1 (Anna's 2024 visit and Petras's voided one add nobody).
    expect(periods.slice(0, 7)).toEqual([
      { start: '2022-12-08', end: '2022-12-31', target: undefined, actual: '0' },
      { start: '2023-01-01', end: '2023-03-31', target: undefined, actual: '1' },
      { start: '2023-04-01', end: '2023-06-30', target: undefined, actual: '2' },
      { start: '2023-07-01', end: '2023-09-30', target: undefined, actual: '2' },
      { start: '2023-10-01', end: '2023-12-31', target: undefined, actual: '2' },
      { start: '2024-01-01', end: '2024-03-31', target: undefined, actual: '3' },
      { start: '2024-04-01', end: '2024-06-30', target: undefined, actual: '3' },
    ]);
    // Actuals run to the quarter of the file's day (the day its last event was recorded).
    const day = vilniusDate(new Date(doc['iati-activities']['generated-datetime']));
    const withActual = periods.filter((p: Parsed) => p.actual !== undefined);
    expect(periodOf(withActual[withActual.length - 1].end, 'quarterly')).toBe(
      periodOf(day < '2026-12-31' ? day : '2026-12-31', 'quarterly'),
    );
    expect(withActual.slice(5).map((p: Parsed) => p.actual)).toEqual(withActual.slice(5).map(() => '3'));
    expect(periods.filter((p: Parsed) => p.target !== undefined)).toEqual([
      expect.objectContaining({ start: '2026-10-01', end: '2026-12-31', target: '4018' }),
    ]);
    const progress = await request(t.base)
      .get(url(`/progress?asOf=${res.headers['x-ledger-position']}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(withActual[withActual.length - 1].actual).toBe(String(progress.body.personsReached));
  });

  it('asOf=<position> gives the same bytes after the ledger has moved on; asOf a day before the project: 404', async () => {
    const before = await iati().expect(200);
    const position = before.headers['x-ledger-position'] as string;
    // Later: a new person, a new verified expenditure, a new partner.
    await deliver('partnerB', rasa, '2024-04-02');
    const cost = await declare('partnerB', 'equipment', '10.00', '2024-04-03');
    await verify(cost.expenditureId, '10.00', '0.00');
    const partner = await request(t.base)
      .post(url('/partners'))
      .set(t.as('admin'))
      .send({
        id: 'zarasai-spc',
        name: 'Zarasų socialinių paslaugų centras',
        municipality: 'Zarasai',
        joinedOn: '2024-01-01',
      })
      .expect(201);
    const after = await iati(`?position=${partner.body.position}`).expect(200);
    expect(after.text).not.toBe(before.text);
    expect(after.text).toContain('Zarasų socialinių paslaugų centras');
    expect(parser.parse(after.text)['iati-activities']['iati-activity'].transaction).toHaveLength(3);

    const again = await iati(`?asOf=${position}`).expect(200);
    expect(again.headers['x-ledger-position']).toBe(position);
    expect(again.text).toBe(before.text);

    // The app's clock stands on 2024-06-15 (a later day is refused: it has not come).
    const today = await iati('?asOf=2024-06-15').expect(200);
    expect(today.text).toBe(after.text);
    const empty = await iati('?asOf=2020-01-01').expect(404);
    expect(empty.body).toMatchObject({ statusCode: 404, message: expect.stringContaining('not registered') });
  });

  it('refuses bad parameters with the field and rule, and other roles', async () => {
    const csv = await iati('?format=csv').expect(400);
    expect(csv.body.issues).toEqual([expect.objectContaining({ field: 'format', rule: 'enum' })]);
    const asOf = await iati('?asOf=yesterday').expect(400);
    expect(asOf.body.issues).toEqual([expect.objectContaining({ field: 'asOf', rule: 'date-or-position' })]);
    await iati('?position=999999999').expect(503);
    await iati('', 'finance').expect(200);
    await iati('', 'admin').expect(200);
    await iati('', 'partnerA').expect(403);
    await request(t.base).get('/api/v1/projects/NO-SUCH/exports/iati').set(t.as('auditor')).expect(404);
  });
});

describe('exports: ESF+ indicator table, checked against a hand-built scenario', () => {
  let t: LedgerTestApp;
  const A = 'visaginas-spc';
  const B = 'utena-spc';
  const [anna, child, young, jonas, mid, plain, petras, later] = [
    '4450301123', // woman born 1945
    '6100505123', // girl born 2010
    '5000101123', // born 2000
    '3470702123', // man born 1947
    '3800202123', // man born 1980
    '4500303123', // woman born 1950-03-03, recorded without a profile
    '3520101123',
    '4600505123',
  ].map(lithuanianCode) as string[] as [string, string, string, string, string, string, string, string];
  let last = 0;
  const serve = async (who: 'partnerA' | 'partnerB', personalCode: string, occurredOn: string, profile?: object) => {
    const res = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as(who))
      .send({
        occurredOn,
        service: 'care',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 30,
        recipient: { personalCode, ...(profile ? { profile } : {}) },
      })
      .expect(201);
    last = Math.max(last, res.body.position);
    return res.body as { activityId: string; position: number };
  };
  const esf = (query = '', who: keyof LedgerTestApp['tokens'] = 'auditor') =>
    request(t.base)
      .get(url(`/exports/esf-indicators${query}`))
      .set(t.as(who));
  const find = (rows: Parsed[], code: string | null, breakdown: string | null, name?: string) =>
    rows.find((r) => r.code === code && r.breakdown === breakdown && (name === undefined || r.name === name));

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    await serve('partnerA', anna, '2023-02-10', { sex: 'female', birthYear: 1945, disability: true });
    await serve('partnerA', child, '2023-05-05', { sex: 'female', birthYear: 2010, disability: true });
    await serve('partnerA', young, '2024-03-03', { sex: 'non-binary', birthYear: 2000, disability: false });
    await serve('partnerB', jonas, '2023-05-06', { sex: 'male', birthYear: 1947 });
    await serve('partnerB', mid, '2024-03-10', { sex: 'male', birthYear: 1980, disability: true });
    await serve('partnerB', plain, '2024-04-02');
    await serve('partnerB', anna, '2024-04-05'); // Anna again, elsewhere: still Visaginas's one person
    const voided = await serve('partnerB', petras, '2024-03-11', { sex: 'male', birthYear: 1952 });
    const res = await request(t.base)
      .post(url(`/activities/${voided.activityId}/void`))
      .set(t.as('partnerB'))
      .send({ reason: 'wrong person' })
      .expect(201);
    last = res.body.position;
  });
  afterAll(() => t.close());

  it('participants by gender, ESF+ age band and disability, each per partner, to date', async () => {
    const body = (await esf(`?position=${last}`).expect(200)).body;
    expect(body).toMatchObject({ projectCode: CODE, partnerId: null, partners: [A, B], reportingPeriod: 'quarterly' });
    const value = (code: string | null, breakdown: string | null, name?: string) => {
      const row = find(body.rows, code, breakdown, name);
      return row && [row.value, row.byPartner[A], row.byPartner[B]];
    };
    // Ages at the first service: Anna 78, the girl 13, the young person 24, Jonas 76, the man 44 (no band),
    // and the woman sent without a profile 74: her personal code gives the birth date.
    expect({
      total: value('EECO01', null),
      women: value('EECO01', 'women'),
      men: value('EECO01', 'men'),
      nonBinary: value('EECO01', 'non-binary'),
      genderUnknown: value('EECO01', 'gender unknown'),
      under18: value('EECO06', null),
      from18to29: value('EECO07', null),
      from55: value('EECO08', null),
      noBand: value(null, null, 'Participants in no age band of the definition'),
      ageUnknown: value(null, null, 'Participants of unknown age'),
      disabled: value('EECO12', null),
      notDisabled: value(null, null, 'Participants without a disability'),
      disabilityUnknown: value(null, null, 'Participants whose disability is unknown'),
      target: value('persons-reached', null),
    }).toEqual({
      total: [6, 3, 3],
      women: [2, 2, 0],
      men: [2, 0, 2],
      nonBinary: [1, 1, 0],
      genderUnknown: [1, 0, 1],
      under18: [1, 1, 0],
      from18to29: [1, 1, 0],
      from55: [3, 1, 2],
      noBand: [1, 0, 1],
      ageUnknown: [0, 0, 0],
      disabled: [3, 2, 1],
      notDisabled: [1, 1, 0],
      disabilityUnknown: [2, 0, 2],
      target: [6, 3, 3],
    });
    expect(find(body.rows, 'persons-reached', null).target).toBe(4018);
    // The same figures as the progress endpoint at the same position.
    const progress = (
      await request(t.base)
        .get(url(`/progress?asOf=${body.position}`))
        .set(t.as('auditor'))
        .expect(200)
    ).body;
    expect(value('EECO01', 'women')![0]).toBe(progress.bySex.female);
    expect(value('EECO08', null)![0]).toBe(progress.byAgeBand['55-plus']);
    expect(value('EECO12', null)![0]).toBe(progress.byDisability.yes);
    // Counts only.
    const text = JSON.stringify(body);
    for (const secret of ['p1_', anna, jonas, plain]) expect(text).not.toContain(secret);
  });

  it('per quarter: participants who entered, per partner, and the indicator cumulative with its target', async () => {
    const body = (await esf(`?position=${last}`).expect(200)).body;
    const entered = body.periods.map((p: Parsed) => {
      const r = find(p.rows, 'EECO01', 'entered in period');
      return [p.id, r.value, r.byPartner[A], r.byPartner[B]];
    });
    expect(entered.slice(0, 7)).toEqual([
      ['2022-Q4', 0, 0, 0],
      ['2023-Q1', 1, 1, 0],
      ['2023-Q2', 2, 1, 1],
      ['2023-Q3', 0, 0, 0],
      ['2023-Q4', 0, 0, 0],
      ['2024-Q1', 2, 1, 1],
      ['2024-Q2', 1, 0, 1],
    ]);
    expect(entered.slice(7).every((e: number[]) => e[1] === 0)).toBe(true);
    const cumulative = body.periods.map((p: Parsed) => find(p.rows, 'persons-reached', 'cumulative').value);
    expect(cumulative.slice(0, 7)).toEqual([0, 1, 3, 3, 3, 5, 6]);
    // Periods run to the quarter of the day the table's last event was recorded.
    const day = vilniusDate(new Date(body.recordedAt));
    expect(body.periods.at(-1).id).toBe(periodOf(day < '2026-12-31' ? day : '2026-12-31', 'quarterly'));
    const withTarget = body.periods.filter(
      (p: Parsed) => find(p.rows, 'persons-reached', 'cumulative').target !== null,
    );
    expect(withTarget.map((p: Parsed) => p.id)).toEqual(body.periods.at(-1).id === '2026-Q4' ? ['2026-Q4'] : []);
  });

  it('a partner gets a table of its own persons, with no trace of the other partner', async () => {
    const res = await esf(`?position=${last}`, 'partnerB').expect(200);
    expect(res.body).toMatchObject({ partnerId: B, partners: [B] });
    // Every person Utena served itself, Anna included (Visaginas served her first): whether another
    // partner served a person does not show in a partner's table.
    expect(find(res.body.rows, 'EECO01', null)).toMatchObject({ value: 4, byPartner: { [B]: 4 } });
    // Anna's profile was sent by Visaginas only: Utena does not see that she is a woman.
    expect(find(res.body.rows, 'EECO01', 'women')).toMatchObject({ value: 0, byPartner: { [B]: 0 } });
    expect(find(res.body.rows, 'EECO01', 'gender unknown')).toMatchObject({ value: 2 });
    expect(JSON.stringify(res.body)).not.toContain(A);
    const csv = await esf(`?position=${last}&format=csv`, 'partnerB').expect(200);
    expect(csv.text).not.toContain(A);
  });

  it('CSV: the same table, one column per partner', async () => {
    const res = await esf(`?position=${last}&format=csv`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const position = res.headers['x-ledger-position'];
    expect(res.headers['content-disposition']).toBe(`attachment; filename="esf-indicators-${CODE}-at-${position}.csv"`);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe(`period,period_start,period_end,code,indicator,breakdown,value,target,${A},${B}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'all,,,EECO01,Total number of participants,,6,,3,3',
        'all,,,EECO01,Total number of participants,women,2,,2,0',
        'all,,,EECO12,Participants with disabilities,,3,,2,1',
        'all,,,persons-reached,Disabled or elderly persons who received integral help (unique persons),,6,4018,3,3',
        '2023-Q2,2023-04-01,2023-06-30,EECO01,Total number of participants,entered in period,2,,1,1',
      ]),
    );
  });

  it('asOf=<position> reproduces the table after the ledger has moved on; bad input is refused', async () => {
    const before = (await esf(`?position=${last}`).expect(200)).body;
    const moved = await serve('partnerA', later, '2024-05-20', { sex: 'female', birthYear: 1960, disability: true });
    const now = (await esf(`?position=${moved.position}`).expect(200)).body;
    expect(find(now.rows, 'EECO01', null).value).toBe(7);
    const again = (await esf(`?asOf=${before.position}`).expect(200)).body;
    expect(again).toEqual(before);
    await esf('?asOf=2020-01-01').expect(404);
    const bad = await esf('?format=xml').expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'format', rule: 'enum' })]);
    await esf('', 'finance').expect(200);
    await esf('', 'admin').expect(200);
  });
});
