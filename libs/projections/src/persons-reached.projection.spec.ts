import fc from 'fast-check';
import type { JsonValue } from '@ihl/event-store';
import { projectionHarness } from './projection-harness';
import {
  createPersonsReachedProjection,
  erasureCount,
  personsReached,
  type OpenedProfile,
} from './persons-reached.projection';

/** Events applied straight to the projection; profiles "sealed" as JSON by a stand-in opener. */
function setup() {
  const erased = new Set<string>();
  const projection = createPersonsReachedProjection((pseudonym, sealed) =>
    erased.has(pseudonym) ? null : (JSON.parse(sealed) as OpenedProfile),
  );
  const harness = projectionHarness([projection]);
  const db = harness.db;
  const apply = (type: string, data: Record<string, JsonValue>) =>
    harness.apply(
      typeof data.activityId === 'string' ? `activity-${data.activityId}` : `person-${String(data.pseudonym)}`,
      type,
      data,
    );
  const serve = (activityId: string, pseudonym: string, occurredOn: string, partnerId = 'a') =>
    apply('ServiceDelivered', {
      activityId,
      projectCode: 'P',
      partnerId,
      fields: {
        kind: 'service-delivered',
        occurredOn,
        targetGroup: 'elderly',
        service: 'care',
        setting: 'home',
        recipient: { pseudonym },
      },
    });
  const profile = (pseudonym: string, p: OpenedProfile) =>
    apply('PersonProfileRecorded', { pseudonym, keyVersion: 1, sealed: JSON.stringify(p) });
  return { db, erased, apply, serve, profile };
}

describe('persons-reached projection', () => {
  it('takes the age in completed years on the first service when the birth date is known', () => {
    const { db, serve, profile } = setup();
    serve('s1', 'p1', '2024-03-01');
    profile('p1', { birthDate: '2006-11-30' }); // 17 on 1 March 2024, though 2024 − 2006 = 18
    serve('s2', 'p2', '2024-11-30');
    profile('p2', { birthDate: '2006-11-30' }); // 18 on the birthday itself
    serve('s3', 'p3', '2024-03-01');
    profile('p3', { birthYear: 2006 }); // birth year only: the age reached that year
    serve('s4', 'p4', '2024-03-01'); // no profile
    expect(personsReached(db, 'P').byAgeAtEntry).toEqual({ '17': 1, '18': 2, unknown: 1 });
  });

  it('moves the age with the first service: an earlier service makes the person younger at entry', () => {
    const { db, apply, serve, profile } = setup();
    serve('late', 'p1', '2024-12-01');
    profile('p1', { birthDate: '2006-11-30', sex: 'female' });
    expect(personsReached(db, 'P').byAgeAtEntry).toEqual({ '18': 1 });
    serve('early', 'p1', '2024-01-15', 'b');
    expect(personsReached(db, 'P')).toMatchObject({ reached: 1, byPartner: { b: 1 }, byAgeAtEntry: { '17': 1 } });
    apply('ActivityVoided', { activityId: 'early' });
    expect(personsReached(db, 'P')).toMatchObject({ reached: 1, byPartner: { a: 1 }, byAgeAtEntry: { '18': 1 } });
    expect(personsReached(db, 'P').entrantsByMonth).toEqual({
      '2024-12': {
        bySex: { female: 1, male: 0, 'non-binary': 0, unknown: 0 },
        byDisability: { yes: 0, no: 0, unknown: 1 },
        byAgeAtEntry: { '18': 1 },
      },
    });
  });

  it('an erasure deletes the profile (counts stay) and is counted, so cached snapshots can be dropped', () => {
    const { db, apply, serve, profile } = setup();
    serve('s1', 'p1', '2024-03-01');
    profile('p1', { sex: 'male', birthDate: '1950-01-01', disability: true });
    expect(erasureCount(db)).toBe(0);
    apply('PersonErased', { pseudonym: 'p1', reason: 'asked' });
    apply('PersonErased', { pseudonym: 'p1', reason: 'asked again' });
    expect(erasureCount(db)).toBe(1);
    expect(personsReached(db, 'P')).toMatchObject({
      reached: 1,
      bySex: { male: 0, unknown: 1 },
      byDisability: { yes: 0, unknown: 1 },
      byAgeAtEntry: { unknown: 1 },
    });
    expect(db.prepare('select count(*) as n from reach_profiles').get()).toEqual({ n: 0 });
  });

  it('a profile whose key is gone (opened as null) leaves the person unknown, live and on replay alike', () => {
    const { db, erased, serve, profile } = setup();
    serve('s1', 'p1', '2024-03-01');
    erased.add('p1');
    profile('p1', { sex: 'female' });
    expect(personsReached(db, 'P').bySex).toMatchObject({ female: 0, unknown: 1 });
  });
});

describe('persons-reached tallies', () => {
  it('equal a count from scratch after any services, corrections, voids, profiles and erasures', () => {
    const op = fc.record({
      what: fc.constantFrom('serve', 'serve', 'serve', 'correct', 'void', 'profile', 'erase'),
      service: fc.nat(9),
      person: fc.nat(4),
      day: fc.nat(400),
      partner: fc.constantFrom('a', 'b', 'c'),
      sex: fc.constantFrom('female', 'male', 'non-binary', undefined),
      birth: fc.nat(20000),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { db, erased, apply, serve, profile } = setup();
        const services = new Map<
          string,
          { pseudonym: string; on: string; partner: string; pos: number; voided: boolean }
        >();
        const profiles = new Map<string, OpenedProfile>();
        let pos = 0;
        const dayOf = (n: number) => new Date(Date.UTC(2023, 0, 1 + n)).toISOString().slice(0, 10);
        for (const o of ops) {
          const id = `s${o.service}`;
          const pseudonym = `p${o.person}`;
          const known = services.get(id);
          if (o.what === 'serve' && !known) {
            serve(id, pseudonym, dayOf(o.day), o.partner);
            services.set(id, { pseudonym, on: dayOf(o.day), partner: o.partner, pos: ++pos, voided: false });
          } else if (o.what === 'correct' && known && !known.voided) {
            apply('ActivityCorrected', {
              activityId: id,
              fields: {
                kind: 'service-delivered',
                occurredOn: dayOf(o.day),
                targetGroup: 'elderly',
                service: 'care',
                setting: 'home',
                recipient: { pseudonym },
              },
            });
            Object.assign(known, { pseudonym, on: dayOf(o.day) });
          } else if (o.what === 'void' && known && !known.voided) {
            apply('ActivityVoided', { activityId: id });
            known.voided = true;
          } else if (o.what === 'profile' && !erased.has(pseudonym)) {
            const p = { ...(o.sex ? { sex: o.sex } : {}), birthDate: dayOf(-o.birth) };
            profile(pseudonym, p);
            profiles.set(pseudonym, p);
          } else if (o.what === 'erase') {
            erased.add(pseudonym);
            apply('PersonErased', { pseudonym, reason: 'asked' });
            profiles.delete(pseudonym);
          }
          if (o.what !== 'serve' || known) pos++;
        }
        // From scratch: each person's first live service, and their profile as it stands.
        const firsts = new Map<string, { on: string; partner: string; pos: number }>();
        for (const s of services.values()) {
          if (s.voided) continue;
          const f = firsts.get(s.pseudonym);
          if (!f || s.on < f.on || (s.on === f.on && s.pos < f.pos)) firsts.set(s.pseudonym, s);
        }
        const expected = {
          reached: firsts.size,
          byPartner: {} as Record<string, number>,
          bySex: {} as Record<string, number>,
          byAge: {} as Record<string, number>,
        };
        for (const [pseudonym, f] of firsts) {
          const p = profiles.get(pseudonym);
          expected.byPartner[f.partner] = (expected.byPartner[f.partner] ?? 0) + 1;
          const sex = p?.sex ?? 'unknown';
          expected.bySex[sex] = (expected.bySex[sex] ?? 0) + 1;
          let age = 'unknown';
          if (p?.birthDate) {
            const years = Number(f.on.slice(0, 4)) - Number(p.birthDate.slice(0, 4));
            age = String(f.on.slice(5) < p.birthDate.slice(5) ? years - 1 : years);
          }
          expected.byAge[age] = (expected.byAge[age] ?? 0) + 1;
        }
        const got = personsReached(db, 'P');
        expect(got.reached).toBe(expected.reached);
        expect(got.byPartner).toEqual(Object.fromEntries(Object.entries(expected.byPartner).sort()));
        expect(Object.fromEntries(Object.entries(got.bySex).filter(([, n]) => n > 0))).toEqual(expected.bySex);
        expect(got.byAgeAtEntry).toEqual(Object.fromEntries(Object.entries(expected.byAge).sort()));
        const partnerSum = ['a', 'b', 'c'].reduce((n, p) => n + personsReached(db, 'P', p).reached, 0);
        expect(partnerSum).toBe(expected.reached);
      }),
      { numRuns: 300 },
    );
  });
});
