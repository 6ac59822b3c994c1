import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

/**
 * Sex, age band and disability come from the sealed profiles; partners are measured against their
 * allocation share of the target. Every expected figure below is counted by hand from the records.
 */
describe('progress breakdowns by sex, age band and disability; partners behind their line', () => {
  let t: LedgerTestApp;
  const [anna, jonas, child, young, mid, plain] = [
    '4450301123', // woman born 1945
    '3470702123', // man born 1947
    '6100505123', // girl born 2010
    '5000101123', // born 2000
    '3800202123', // man born 1980
    '4500303123', // woman born 1950, recorded without a profile
  ].map(lithuanianCode) as [string, string, string, string, string, string];
  let last = 0;

  const serve = async (
    who: 'partnerA' | 'partnerB',
    personalCode: string,
    occurredOn: string,
    targetGroup: string,
    profile?: object,
  ) => {
    const res = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as(who))
      .send({
        occurredOn,
        service: 'care',
        targetGroup,
        setting: 'home',
        durationMinutes: 30,
        recipient: { personalCode, ...(profile ? { profile } : {}) },
      })
      .expect(201);
    last = Math.max(last, res.body.position);
  };

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    for (const [partner, amount] of [
      ['visaginas-spc', '300000.00'],
      ['utena-spc', '100000.00'],
    ])
      await request(t.base)
        .put(url(`/allocations/${partner}/staff`))
        .set(t.as('finance'))
        .send({ amount })
        .expect(201);
    await serve('partnerA', anna, '2024-03-01', 'elderly', { sex: 'female', birthYear: 1945, disability: true });
    await serve('partnerA', anna, '2024-04-01', 'elderly'); // same person again: counted once
    await serve('partnerA', jonas, '2024-03-02', 'elderly', { sex: 'male', birthYear: 1947, disability: false });
    await serve('partnerA', child, '2024-04-10', 'disabled-child', {
      sex: 'female',
      birthYear: 2010,
      disability: true,
    });
    await serve('partnerA', young, '2024-05-01', 'disabled-adult', {
      sex: 'non-binary',
      birthYear: 2000,
      disability: true,
    });
    await serve('partnerA', mid, '2024-05-02', 'disabled-adult', { sex: 'male', birthYear: 1980 });
    await serve('partnerB', plain, '2024-05-03', 'elderly');
  });
  afterAll(() => t.close());

  const progress = async (query = '', who: keyof LedgerTestApp['tokens'] = 'auditor') =>
    (
      await request(t.base)
        .get(url(`/progress?position=${last}${query}`))
        .set(t.as(who))
        .expect(200)
    ).body;

  it('counts persons by sex, ESF+ age band at their first service and disability; each sums to the total', async () => {
    const p = await progress();
    expect(p.personsReached).toBe(6);
    expect(p.bySex).toEqual({ female: 2, male: 2, 'non-binary': 1, unknown: 1 });
    // Ages on the first service, from the birth date in the personal code: 79, 76, 13, 24, 44 (in no
    // ESF+ band) and 74 (no profile sent, but the code gives the birth date).
    expect(p.byAgeBand).toEqual({ 'under-18': 1, '18-29': 1, '55-plus': 3, other: 1, unknown: 0 });
    expect(p.byDisability).toEqual({ yes: 3, no: 1, unknown: 2 });
    // Raw ages are never served, only bands.
    expect(p).not.toHaveProperty('byAgeAtEntry');
    expect(p).not.toHaveProperty('newByPartnerMonth');
  });

  it('lists each partner against its allocation share of 4,018 and names those behind', async () => {
    const p = await progress();
    // 3:1 allocations: 4018 × ¾ = 3013.5 and 1004.5; the remainder person goes to the first partner.
    // Lines from joining (2023-01-02 and 2023-02-01) to 2026-12-31 (1459 and 1429 days), on 2024-06-15
    // (530 and 500 days in): 3014 × 530 / 1459 = 1094.9 → 1095 and 1004 × 500 / 1429 = 351.3 → 351.
    expect(p.partners).toEqual([
      expect.objectContaining({
        partnerId: 'visaginas-spc',
        target: 3014,
        actual: 5,
        expectedToDate: 1095,
        gap: 1090,
        behind: true,
      }),
      expect.objectContaining({
        partnerId: 'utena-spc',
        target: 1004,
        actual: 1,
        expectedToDate: 351,
        gap: 350,
        behind: true,
      }),
    ]);
    expect(p.partnersBehind).toEqual(['visaginas-spc', 'utena-spc']);
  });

  it('as of a position, partner targets follow the allocations of that moment, not later ones', async () => {
    const then = await progress();
    const asOfThen = (
      await request(t.base)
        .get(url(`/progress?asOf=${then.position}`))
        .set(t.as('auditor'))
        .expect(200)
    ).body;
    expect(asOfThen).toEqual(then);
    const moved = await request(t.base)
      .put(url('/allocations/utena-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: '300000.00' })
      .expect(201);
    const now = (
      await request(t.base)
        .get(url(`/progress?position=${moved.body.position}`))
        .set(t.as('auditor'))
    ).body;
    // 1:1 now: 2009 each.
    expect(now.partners.map((x: { target: number }) => x.target)).toEqual([2009, 2009]);
    const again = (
      await request(t.base)
        .get(url(`/progress?asOf=${then.position}`))
        .set(t.as('auditor'))
        .expect(200)
    ).body;
    expect(again).toEqual(then);
    // Back to 3:1 for the tests that follow.
    const back = await request(t.base)
      .put(url('/allocations/utena-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: '100000.00' })
      .expect(201);
    last = back.body.position;
  });

  it('a partner sees its own breakdowns and its own line only', async () => {
    const p = await progress('', 'partnerB');
    expect(p.personsReached).toBe(1);
    expect(p.bySex).toEqual({ female: 0, male: 0, 'non-binary': 0, unknown: 1 });
    expect(p.partners).toEqual([expect.objectContaining({ partnerId: 'utena-spc', target: 1004 })]);
  });

  it('exports the breakdowns and the partner lines as CSV rows', async () => {
    const res = await request(t.base).get(url('/progress?format=csv')).set(t.as('auditor')).expect(200);
    const lines = res.text.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'sex,non-binary,1,',
        'age_band,55-plus,3,',
        'age_band,other,1,',
        'disability,unknown,2,',
        'partner_behind,utena-spc,1,351',
      ]),
    );
  });

  it('after an erasure the person still counts, with sex, age and disability unknown, live and replayed alike', async () => {
    const before = await progress();
    // Asked once before the erasure, so a snapshot of that moment sits in the cache.
    const cached = (
      await request(t.base)
        .get(url(`/progress?asOf=${before.position}`))
        .set(t.as('auditor'))
        .expect(200)
    ).body;
    expect(cached.bySex.male).toBe(2);
    const erased = await request(t.base)
      .post('/api/v1/persons/erasures')
      .set(t.as('admin'))
      .send({ personalCode: jonas, reason: 'the person asked for erasure (GDPR art. 17)' })
      .expect(201);
    last = erased.body.position;
    const live = await progress();
    expect(live.personsReached).toBe(6);
    expect(live.bySex).toEqual({ female: 2, male: 1, 'non-binary': 1, unknown: 2 });
    expect(live.byAgeBand).toEqual({ 'under-18': 1, '18-29': 1, '55-plus': 2, other: 1, unknown: 1 });
    expect(live.byDisability).toEqual({ yes: 3, no: 0, unknown: 3 });
    // A replay from position 0 (what a rebuild does) gives the same figures as the live read model.
    const replayed = (
      await request(t.base)
        .get(url(`/progress?asOf=${last}`))
        .set(t.as('auditor'))
        .expect(200)
    ).body;
    expect(replayed).toEqual(live);
    // Even a report as of a moment before the erasure (cached before it, too) no longer shows the profile.
    const earlier = (
      await request(t.base)
        .get(url(`/progress?asOf=${before.position}`))
        .set(t.as('auditor'))
        .expect(200)
    ).body;
    expect(earlier.personsReached).toBe(6);
    expect(earlier.bySex).toEqual(live.bySex);
  });
});
