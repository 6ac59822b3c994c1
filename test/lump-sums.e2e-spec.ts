// Lump sums per deliverable (issue #18 item 3): the whole amount once finance accepts the partner's
// deliverable, or nothing; beside the other simplified cost options in the budget, hand-computed.
import request from 'supertest';
import { REFERENCE, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const SCO = {
  flatRates: [
    {
      id: 'indirect-15',
      title: 'Netiesioginės išlaidos',
      categoryId: 'indirect',
      percent: '15.00',
      baseCategories: ['staff'],
    },
  ],
  lumpSums: [
    {
      id: 'care-plan',
      title: 'Savivaldybės priežiūros planas',
      categoryId: 'services',
      partnerId: 'visaginas-spc',
      amount: '5000.00',
      deliverable: 'a care plan signed by the municipality',
    },
    {
      id: 'network',
      title: 'Savanorių tinklas',
      categoryId: 'services',
      partnerId: 'visaginas-spc',
      amount: '1234.56',
      deliverable: 'a volunteer network of ten people',
    },
  ],
};

describe('lump sums per deliverable, the whole amount or nothing', () => {
  let t: LedgerTestApp;
  let beforeAccepted = 0;
  const post = (who: 'partnerA' | 'partnerB' | 'finance', path: string, body: object) =>
    request(t.base).post(url(path)).set(t.as(who)).send(body);
  const budget = async (query = '') =>
    (
      await request(t.base)
        .get(url(`/budget${query}`))
        .set(t.as('finance'))
        .expect(200)
    ).body;
  const submit = { lumpSumId: 'care-plan', achievedOn: '2024-05-10', evidenceIds: ['DOC-2024-17'] };

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await request(t.base)
      .post('/api/v1/projects')
      .set(t.as('admin'))
      .send({ ...REFERENCE, simplifiedCosts: SCO })
      .expect(201);
  });
  afterAll(() => t.close());

  it('a recorded deliverable counts for nothing until finance accepts it; a rejection needs a reason', async () => {
    await post('partnerA', '/deliverables', submit).expect(201);
    beforeAccepted = (await budget()).position;
    expect((await budget()).simplifiedCosts.lines).toEqual([]);
    const noReason = await post('finance', '/deliverables/care-plan/verify', { accepted: false }).expect(422);
    expect(noReason.body.issues).toEqual([expect.objectContaining({ field: 'reason', rule: 'required' })]);
    await post('finance', '/deliverables/care-plan/verify', { accepted: false, reason: 'not signed' }).expect(201);
    expect((await budget()).simplifiedCosts.total).toEqual({ amount: '0.00' });
    // Submitted again, with the signed plan: accepted, the whole 5,000.00 counts, once.
    await post('partnerA', '/deliverables', { ...submit, evidenceIds: ['DOC-2024-18'] }).expect(201);
    await post('finance', '/deliverables/care-plan/verify', { accepted: true }).expect(201);
    const sco = (await budget()).simplifiedCosts;
    expect(sco.lines).toEqual([
      expect.objectContaining({
        scoId: 'care-plan',
        type: 'lump-sum',
        partnerId: 'visaginas-spc',
        categoryId: 'services',
        records: 1,
        amount: '5000.00',
        deliverable: 'a care plan signed by the municipality',
      }),
    ]);
    // 5,000.00 + nothing of the network (not recorded) + no flat rate (no verified staff costs).
    expect(sco.total).toEqual({ amount: '5000.00' });
    expect(sco.byPartner).toEqual({
      'visaginas-spc': { amount: '5000.00', byCategory: { services: { amount: '5000.00' } } },
    });
    await post('partnerA', '/deliverables', submit).expect(409);
  });

  it('as of before the acceptance: nothing; one partner cannot record another partner’s lump sum', async () => {
    expect((await budget(`?asOf=${beforeAccepted}`)).simplifiedCosts.total).toEqual({ amount: '0.00' });
    const other = await post('partnerB', '/deliverables', submit).expect(422);
    expect(other.body.issues).toEqual([expect.objectContaining({ field: 'lumpSumId', rule: 'own-lump-sum' })]);
    await post('finance', '/deliverables', submit).expect(403);
    await post('partnerA', '/deliverables/network/verify', { accepted: true }).expect(403);
    await post('finance', '/deliverables/network/verify', { accepted: true }).expect(404);
    const noEvidence = await post('partnerA', '/deliverables', {
      lumpSumId: 'network',
      achievedOn: '2024-05-10',
    }).expect(422);
    expect(noEvidence.body.issues).toEqual([
      expect.objectContaining({ field: 'evidenceIds', rule: 'evidence-or-note' }),
    ]);
  });

  it("the audit trail leads from the lump sum's amount to its deliverable's events, and to nothing else", async () => {
    const line = (await budget()).simplifiedCosts.lines[0];
    expect(line.scoAudit).toBe('figure=sco&optionId=care-plan&partnerId=visaginas-spc');
    const trail = (who: 'auditor' | 'partnerB', query: string) =>
      request(t.base)
        .get(url(`/audit?${query}`))
        .set(t.as(who))
        .expect(200);
    const { body } = await trail('auditor', line.scoAudit);
    expect(body.totalEvents).toBe(4);
    expect(body.events.map((e: { type: string; streamId: string }) => [e.type, e.streamId])).toEqual(
      ['DeliverableAchieved', 'DeliverableRejected', 'DeliverableAchieved', 'DeliverableAccepted'].map((type) => [
        type,
        `deliverable-${REFERENCE.code}-care-plan`,
      ]),
    );
    const paged = await trail('auditor', `${line.scoAudit}&pageSize=3&page=2`);
    expect(paged.body.events.map((e: { type: string }) => e.type)).toEqual(['DeliverableAccepted']);
    // Another partner's lump sum: nothing, whatever it names.
    expect((await trail('partnerB', line.scoAudit)).body.totalEvents).toBe(0);
    expect((await trail('auditor', `figure=sco&optionId=care-plan&asOf=${beforeAccepted}`)).body.totalEvents).toBe(1);
  });

  it('the project answers its lump sums as registered: amounts as decimal strings', async () => {
    const { body } = await request(t.base).get(url('')).set(t.as('partnerA')).expect(200);
    expect(body.simplifiedCosts.lumpSums[1]).toMatchObject({
      id: 'network',
      partnerId: 'visaginas-spc',
      amount: '1234.56',
    });
  });

  it('a lump sum with a float amount or a typed rate is refused at registration', async () => {
    const register = (lumpSums: object[]) =>
      request(t.base)
        .post('/api/v1/projects')
        .set(t.as('admin'))
        .send({ ...REFERENCE, code: 'LUMP-BAD', simplifiedCosts: { lumpSums } });
    const float = await register([{ ...SCO.lumpSums[0], amount: 5000 }]).expect(400);
    expect(float.body.issues).toContainEqual(expect.objectContaining({ field: 'simplifiedCosts.lumpSums[0].amount' }));
    const typed = await register([{ ...SCO.lumpSums[0], rate: '1.00' }]).expect(400);
    expect(typed.body.issues).toContainEqual(
      expect.objectContaining({ field: 'simplifiedCosts.lumpSums[0].rate', rule: 'unknown-field' }),
    );
  });
});
