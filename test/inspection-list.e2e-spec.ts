// The inspections list (issue #19 item 1): filtered by partner and status, a partner's own only,
// paged by a cursor and answered as of a position; the findings' counts worked out by hand.
import request from 'supertest';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const A_MAY = '1a000000-0000-4000-8000-000000000001';
const A_MARCH = '1a000000-0000-4000-8000-000000000002';
const B_APRIL = '1a000000-0000-4000-8000-000000000003';
const inspection = (inspectionId: string, partnerId: string, startedOn: string) => ({
  inspectionId,
  partnerId,
  kind: 'planned',
  scope: 'Integrali pagalba namuose',
  standards: ['equass-rights'],
  startedOn,
  endedOn: startedOn,
  inspectorRefs: ['INSP-07'],
});
const finding = (findingId: string, dueOn: string) => ({
  findingId,
  standard: 'equass-rights',
  severity: 'minor',
  description: 'Sutikimai nepasirašyti',
  dueOn,
});

describe('the inspections list', () => {
  let t: LedgerTestApp;
  let beforeB = 0;
  const list = (who: 'auditor' | 'partnerA' | 'partnerB' | 'admin' | 'finance', query = '') =>
    request(t.base)
      .get(url(`/inspections${query}`))
      .set(t.as(who));
  const post = async (path: string, body: object, who: 'auditor' = 'auditor') =>
    (await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(201)).body.position as number;

  beforeAll(async () => {
    // The ledger's day is 2024-06-15.
    t = await startLedgerTestApp(new Date('2024-06-15T10:00:00Z'));
    await seedProject(t);
    await post('/inspections', inspection(A_MAY, 'visaginas-spc', '2024-05-02'));
    await post(`/inspections/${A_MAY}/findings`, finding('F-1', '2024-06-10'));
    await post(`/inspections/${A_MAY}/findings`, finding('F-2', '2024-06-30'));
    await post(`/inspections/${A_MAY}/findings`, finding('F-3', '2024-06-01'));
    await post(`/inspections/${A_MAY}/findings/F-3/resolve`, { resolvedOn: '2024-06-05' });
    beforeB = await post('/inspections', inspection(A_MARCH, 'visaginas-spc', '2024-03-01'));
    await post('/inspections', inspection(B_APRIL, 'utena-spc', '2024-04-10'));
    await post(`/inspections/${B_APRIL}/findings`, finding('F-1', '2024-07-01'));
  });
  afterAll(() => t.close());

  it('lists every inspection by first day, with findings, open and overdue ones counted on the day', async () => {
    const res = await list('auditor', `?position=${beforeB + 2}`).expect(200);
    // A in May: F-1 (due 06-10, open: overdue on 06-15), F-2 (due 06-30: open, not late), F-3 resolved.
    expect(res.body.today).toBe('2024-06-15');
    expect(res.body.inspections).toEqual([
      expect.objectContaining({ inspectionId: A_MARCH, findings: 0, openFindings: 0, overdueFindings: 0 }),
      expect.objectContaining({ inspectionId: B_APRIL, partnerId: 'utena-spc', findings: 1, openFindings: 1 }),
      expect.objectContaining({ inspectionId: A_MAY, findings: 3, openFindings: 2, overdueFindings: 1 }),
    ]);
    expect(res.body.next).toBeNull();
  });

  it('filters by status and partner', async () => {
    const ids = async (who: 'auditor' | 'partnerA' | 'partnerB', q: string) =>
      (await list(who, q).expect(200)).body.inspections.map((i: { inspectionId: string }) => i.inspectionId);
    expect(await ids('auditor', '?status=overdue')).toEqual([A_MAY]);
    expect(await ids('auditor', '?status=open')).toEqual([B_APRIL, A_MAY]);
    expect(await ids('auditor', '?status=closed')).toEqual([A_MARCH]);
    expect(await ids('auditor', '?partnerId=utena-spc')).toEqual([B_APRIL]);
  });

  it('a partner sees its own only: naming another partner gives none; finance is refused', async () => {
    const ids = async (who: 'partnerA' | 'partnerB', q = '') =>
      (await list(who, q).expect(200)).body.inspections.map((i: { inspectionId: string }) => i.inspectionId);
    expect(await ids('partnerA')).toEqual([A_MARCH, A_MAY]);
    expect(await ids('partnerB')).toEqual([B_APRIL]);
    expect(await ids('partnerB', '?partnerId=visaginas-spc')).toEqual([]);
    await list('admin').expect(200);
    await list('finance').expect(403);
  });

  it('pages by a cursor: each page goes on where the last ended', async () => {
    const first = await list('auditor', '?limit=2').expect(200);
    expect(first.body.inspections.map((i: { inspectionId: string }) => i.inspectionId)).toEqual([A_MARCH, B_APRIL]);
    expect(typeof first.body.next).toBe('string');
    const second = await list('auditor', `?limit=2&after=${first.body.next}`).expect(200);
    expect(second.body.inspections.map((i: { inspectionId: string }) => i.inspectionId)).toEqual([A_MAY]);
    expect(second.body.next).toBeNull();
  });

  it('as of a position: the inspections recorded by then only', async () => {
    const res = await list('auditor', `?asOf=${beforeB - 1}`).expect(200);
    expect(res.body.inspections).toEqual([
      expect.objectContaining({ inspectionId: A_MAY, findings: 3, openFindings: 2, overdueFindings: 1 }),
    ]);
  });

  it('a bad parameter is a 400 naming it', async () => {
    for (const q of ['?status=late', '?after=bm90LWEtY3Vyc29y', '?limit=0', '?partnerId=Visaginas']) {
      const res = await list('auditor', q);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(q.slice(1, q.indexOf('=')));
    }
  });
});
