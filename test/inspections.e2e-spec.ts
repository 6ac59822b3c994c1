// Inspections and findings (issue #19 item 1): the agency auditor records them, the inspected
// partner reads its own and responds, another partner finds nothing; every step is in the history.
import request from 'supertest';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const PERSON = '4860318174' + String(personalCodeCheckDigit('4860318174'));
const ID = '6f1c2a7e-0b5d-4c1e-9a8f-3d2e1b0c9a01';
const INSPECTION = {
  inspectionId: ID,
  partnerId: 'visaginas-spc',
  kind: 'planned',
  scope: 'Integrali pagalba namuose, Visagino mobilioji komanda',
  standards: ['equass-rights', 'ref:SADM-A1-93'],
  startedOn: '2024-05-02',
  endedOn: '2024-05-03',
  inspectorRefs: ['INSP-07'],
};
const FINDING = {
  findingId: 'F-1',
  standard: 'equass-rights',
  severity: 'major',
  description: 'Paslaugų gavėjų sutikimai nepasirašyti',
  dueOn: '2024-06-10',
};

describe('inspections and findings', () => {
  let t: LedgerTestApp;
  const path = (rest = '') => url(`/inspections/${ID}${rest}`);

  beforeAll(async () => {
    t = await startLedgerTestApp(new Date('2024-06-15T10:00:00Z'));
    await seedProject(t);
  });
  afterAll(() => t.close());

  it('the auditor records an inspection (201, then 200 for the same again) and a finding on it', async () => {
    const res = await request(t.base).post(url('/inspections')).set(t.as('auditor')).send(INSPECTION).expect(201);
    expect(res.headers.location).toBe(path());
    await request(t.base).post(url('/inspections')).set(t.as('auditor')).send(INSPECTION).expect(200);
    await request(t.base).post(path('/findings')).set(t.as('auditor')).send(FINDING).expect(201);
  });

  it('a broken rule is a 422 and a bad shape or unknown field a 400, each naming the field; nothing written', async () => {
    const before = await request(t.base).get(path()).set(t.as('auditor')).expect(200);
    const late = await request(t.base)
      .post(path('/findings'))
      .set(t.as('auditor'))
      .send({ ...FINDING, findingId: 'F-2', dueOn: '2024-04-30' });
    expect(late.status).toBe(422);
    expect(JSON.stringify(late.body)).toContain('dueOn');
    expect(JSON.stringify(late.body)).toContain('not-before-inspection');
    const extra = await request(t.base)
      .post(path('/findings'))
      .set(t.as('auditor'))
      .send({ ...FINDING, findingId: 'F-3', inspectorName: 'Jonas' });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toContain('inspectorName');
    const code = await request(t.base)
      .post(url('/inspections'))
      .set(t.as('auditor'))
      .send({ ...INSPECTION, inspectionId: '6f1c2a7e-0b5d-4c1e-9a8f-3d2e1b0c9a02', inspectorRefs: [PERSON] });
    expect(code.status).toBeGreaterThanOrEqual(400);
    expect(code.status).toBeLessThan(500);
    expect(JSON.stringify(code.body)).not.toContain(PERSON);
    const after = await request(t.base).get(path()).set(t.as('auditor')).expect(200);
    expect(after.body.revision).toBe(before.body.revision);
  });

  it('partner A reads its own inspection; partner B gets 404 for it and cannot respond; finance is refused', async () => {
    const own = await request(t.base).get(path()).set(t.as('partnerA')).expect(200);
    expect(own.body.findings.map((f: { findingId: string }) => f.findingId)).toEqual(['F-1']);
    await request(t.base).get(path()).set(t.as('partnerB')).expect(404);
    await request(t.base)
      .post(path('/findings/F-1/response'))
      .set(t.as('partnerB'))
      .send({ response: 'Ne mūsų', respondedOn: '2024-06-01' })
      .expect(404);
    await request(t.base).get(path()).set(t.as('finance')).expect(403);
  });

  it('a finding past its due date is overdue; after the response and resolution it is not, and resolving twice is 409', async () => {
    const open = await request(t.base).get(path()).set(t.as('auditor')).expect(200);
    // Due 2024-06-10, the ledger's day 2024-06-15: overdue.
    expect(open.body.findings[0]).toMatchObject({ findingId: 'F-1', overdue: true, resolvedOn: null });
    await request(t.base)
      .post(path('/findings/F-1/response'))
      .set(t.as('partnerA'))
      .send({ response: 'Sutikimai surinkti', evidenceRefs: ['EV-2024-118'], respondedOn: '2024-06-12' })
      .expect(201);
    await request(t.base)
      .post(path('/findings/F-1/resolve'))
      .set(t.as('auditor'))
      .send({ resolvedOn: '2024-06-14' })
      .expect(201);
    const again = await request(t.base)
      .post(path('/findings/F-1/resolve'))
      .set(t.as('auditor'))
      .send({ resolvedOn: '2024-06-15' });
    expect(again.status).toBe(409);
    const done = await request(t.base).get(path()).set(t.as('partnerA')).expect(200);
    expect(done.body.findings[0]).toMatchObject({ overdue: false, resolvedOn: '2024-06-14' });
    expect(done.body.findings[0].responses).toEqual([
      { response: 'Sutikimai surinkti', evidenceRefs: ['EV-2024-118'], respondedOn: '2024-06-12' },
    ]);
    // The history says who did what: the auditor, the partner, the auditor.
    const roles = done.body.history.map((h: { type: string; actor: { role: string } }) => [h.type, h.actor.role]);
    expect(roles).toEqual([
      ['InspectionRecorded', 'agency-auditor'],
      ['FindingRecorded', 'agency-auditor'],
      ['FindingResponded', 'partner-submitter'],
      ['FindingResolved', 'agency-auditor'],
    ]);
  });

  it('as of a position before the resolution, the finding is still open', async () => {
    const done = await request(t.base).get(path()).set(t.as('auditor')).expect(200);
    const responded = done.body.history[2].position as number;
    const then = await request(t.base)
      .get(path(`?asOf=${responded}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(then.body.findings[0].resolvedOn).toBeNull();
    expect(then.body.history).toHaveLength(3);
  });
});
