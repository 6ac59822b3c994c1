import fc from 'fast-check';
import type { JsonValue } from '@ihl/event-store';
import { projectionHarness } from './projection-harness';
import { createPersonsReachedProjection, type OpenedProfile } from './persons-reached.projection';
import { erasureCount, personsReached } from './persons-reached.query';
import { personsTallies } from './persons-reached-as-of.query';

/** Stand-in sealing: JSON, or (to look for clear text) base64 of it. */
const json = { seal: (p: OpenedProfile) => JSON.stringify(p), open: (s: string) => JSON.parse(s) as OpenedProfile };
const base64 = {
  seal: (p: OpenedProfile) => Buffer.from(JSON.stringify(p)).toString('base64'),
  open: (s: string) => JSON.parse(Buffer.from(s, 'base64').toString()) as OpenedProfile,
};

/** Events applied straight to the projection; profiles "sealed" by a stand-in opener. */
function setup(codec = json) {
  const erased = new Set<string>();
  const projection = createPersonsReachedProjection((pseudonym, sealed) =>
    erased.has(pseudonym) ? null : codec.open(sealed),
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
  /** An event of the older kind: no sender in it, the profile merged across partners. */
  const profile = (pseudonym: string, p: OpenedProfile, actorPartnerId?: string) =>
    harness.apply(
      `person-${pseudonym}`,
      'PersonProfileRecorded',
      { pseudonym, keyVersion: 1, sealed: codec.seal(p) },
      actorPartnerId ? { actor: { subject: 'u', role: 'partner-submitter', partnerId: actorPartnerId } } : {},
    );
  /** What one partner sent, merged over its own earlier profile only. */
  const profileOf = (pseudonym: string, partnerId: string, p: OpenedProfile) =>
    harness.apply(
      `person-${pseudonym}`,
      'PersonProfileRecorded',
      { pseudonym, keyVersion: 1, partnerId, sealed: codec.seal(p) },
      // The metadata is not what names the sender of an event that says it.
      { actor: { subject: 'u', role: 'partner-submitter', partnerId: 'someone-else' } },
    );
  return { db, erased, apply, serve, profile, profileOf };
}

/** Every row of every table of the read model, as text. */
function dump(db: ReturnType<typeof setup>['db']): string {
  const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
  return JSON.stringify(tables.map(({ name }) => db.prepare(`select * from ${name}`).all()));
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

describe("persons-reached: a partner's own figures", () => {
  it('count the persons it served itself, at its own first service, with only the profile it sent', () => {
    const { db, apply, serve, profileOf } = setup();
    serve('b1', 'p1', '2024-03-10', 'b');
    profileOf('p1', 'b', { sex: 'male', disability: true, birthDate: '1961-01-01' });
    expect(personsReached(db, 'P', 'a').reached).toBe(0);
    // A backdates a service for a person only B profiled.
    serve('a1', 'p1', '2024-02-01', 'a');
    expect(personsReached(db, 'P', 'a')).toMatchObject({
      reached: 1,
      byPartner: { a: 1 },
      newByMonth: { '2024-02': 1 },
      bySex: { male: 0, unknown: 1 },
      byDisability: { yes: 0, unknown: 1 },
      // The birth date is the personal code's, which A typed itself.
      byAgeAtEntry: { '63': 1 },
    });
    // B's own figures did not move; the project counts the person once, for A, with B's profile.
    expect(personsReached(db, 'P', 'b')).toMatchObject({
      reached: 1,
      newByMonth: { '2024-03': 1 },
      bySex: { male: 1 },
    });
    expect(personsReached(db, 'P')).toMatchObject({ reached: 1, byPartner: { a: 1 }, bySex: { male: 1 } });
    expect(personsReached(db, 'P', 'a', { share: true })).toMatchObject({ reached: 1, bySex: { male: 1 } });
    expect(personsReached(db, 'P', 'b', { share: true }).reached).toBe(0);
    // What A sends is A's; project-wide the profile sent last wins, whoever sent it.
    profileOf('p1', 'a', { sex: 'female', birthDate: '1961-01-01' });
    expect(personsReached(db, 'P', 'a')).toMatchObject({
      bySex: { female: 1, male: 0 },
      byDisability: { yes: 0, unknown: 1 },
    });
    expect(personsReached(db, 'P', 'b').bySex).toMatchObject({ female: 0, male: 1 });
    expect(personsReached(db, 'P').bySex).toMatchObject({ female: 1, male: 0 });
    expect(personsReached(db, 'P').byDisability).toMatchObject({ yes: 1 });
    apply('ActivityVoided', { activityId: 'a1' });
    expect(personsReached(db, 'P', 'a').reached).toBe(0);
    expect(personsReached(db, 'P')).toMatchObject({ reached: 1, byPartner: { b: 1 }, byAgeAtEntry: { '63': 1 } });
  });

  it('move with nothing another partner records: services, corrections, voids and profiles of the same persons', () => {
    const { db, apply, serve, profileOf } = setup();
    serve('a1', 'p1', '2024-05-02', 'a');
    profileOf('p1', 'a', { birthDate: '1961-01-01' });
    serve('a2', 'p2', '2024-06-02', 'a');
    const before = personsReached(db, 'P', 'a');
    serve('b1', 'p1', '2024-01-05', 'b');
    profileOf('p1', 'b', { sex: 'male', disability: true, birthDate: '1961-01-01' });
    serve('b2', 'p2', '2024-03-05', 'b');
    profileOf('p2', 'b', { sex: 'female', birthYear: 1990 });
    serve('b3', 'p3', '2024-03-05', 'b');
    apply('ActivityCorrected', {
      activityId: 'b3',
      fields: {
        kind: 'service-delivered',
        occurredOn: '2024-01-01',
        targetGroup: 'elderly',
        service: 'care',
        setting: 'home',
        recipient: { pseudonym: 'p2' },
      },
    });
    apply('ActivityVoided', { activityId: 'b1' });
    expect(personsReached(db, 'P', 'a')).toEqual(before);
    expect(personsReached(db, 'P').reached).toBe(2);
  });

  it('credit a partner, in an older event (merged across partners, no partnerId), only with what it changed', () => {
    const { db, serve, profile } = setup();
    serve('b1', 'p1', '2024-03-10', 'b');
    profile('p1', { sex: 'male', disability: true, birthDate: '1961-01-01' }, 'b');
    serve('a1', 'p1', '2024-03-11', 'a');
    // A sent disability: false; the event holds B's sex too.
    profile('p1', { sex: 'male', disability: false, birthDate: '1961-01-01' }, 'a');
    expect(personsReached(db, 'P', 'a')).toMatchObject({
      bySex: { male: 0, unknown: 1 },
      byDisability: { no: 1, yes: 0 },
      byAgeAtEntry: { '63': 1 },
    });
    expect(personsReached(db, 'P', 'b')).toMatchObject({ bySex: { male: 1 }, byDisability: { yes: 1 } });
    expect(personsReached(db, 'P')).toMatchObject({ bySex: { male: 1 }, byDisability: { no: 1 } });
  });

  it('keep no birth date in clear, and nothing of the profile after an erasure', () => {
    const { db, apply, serve, profile, profileOf } = setup(base64);
    serve('a1', 'p1', '2024-03-10', 'a');
    profileOf('p1', 'a', { sex: 'female', birthDate: '1961-02-01' });
    serve('b1', 'p2', '2024-03-10', 'b');
    profile('p2', { sex: 'male', birthDate: '1962-02-02' }, 'b');
    // An earlier first service: the age is computed again in a later batch, from the sealed text.
    expect(personsReached(db, 'P', 'a').byAgeAtEntry).toEqual({ '63': 1 });
    serve('a2', 'p1', '2024-01-01', 'a');
    expect(personsReached(db, 'P').byAgeAtEntry).toEqual({ '62': 2 });
    expect(personsReached(db, 'P', 'a').byAgeAtEntry).toEqual({ '62': 1 });
    const text = dump(db);
    for (const clear of ['1961-02-01', '19610201', '1962-02-02', '19620202']) expect(text).not.toContain(clear);
    apply('PersonErased', { pseudonym: 'p1', reason: 'asked' });
    expect(db.prepare("select count(*) as n from reach_profiles where pseudonym = 'p1'").get()).toEqual({ n: 0 });
    expect(personsReached(db, 'P', 'a')).toMatchObject({
      bySex: { female: 0, unknown: 1 },
      byAgeAtEntry: { unknown: 1 },
    });
  });
});

describe('persons-reached tallies', () => {
  it('equal a count from scratch after any services, corrections, voids, profiles and erasures', () => {
    const op = fc.record({
      what: fc.constantFrom('serve', 'serve', 'serve', 'correct', 'void', 'profile', 'profile', 'older', 'erase'),
      service: fc.nat(9),
      person: fc.nat(4),
      day: fc.nat(400),
      partner: fc.constantFrom('a', 'b', 'c'),
      sex: fc.constantFrom('female', 'male', 'non-binary', undefined),
      disability: fc.constantFrom(true, false, undefined),
      // A personal code carries a birth date or never does: the same whoever sends it.
      dated: fc.boolean(),
    });
    const dayOf = (n: number) => new Date(Date.UTC(2023, 0, 1 + n)).toISOString().slice(0, 10);
    const birthOf = (pseudonym: string) => dayOf(-5000 - 3001 * Number(pseudonym.slice(1)));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { db, erased, apply, serve, profile, profileOf } = setup();
        const services = new Map<
          string,
          { pseudonym: string; on: string; partner: string; pos: number; voided: boolean }
        >();
        // Project-wide: every profile event merged in log order; per partner: what it sent itself.
        const merged = new Map<string, OpenedProfile>();
        const own = new Map<string, OpenedProfile>();
        let pos = 0;
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
          } else if ((o.what === 'profile' || o.what === 'older') && !erased.has(pseudonym)) {
            const sent: OpenedProfile = {
              ...(o.sex ? { sex: o.sex } : {}),
              ...(o.disability !== undefined ? { disability: o.disability } : {}),
              ...(o.dated ? { birthDate: birthOf(pseudonym) } : {}),
            };
            const key = `${o.partner}|${pseudonym}`;
            const before = merged.get(pseudonym) ?? {};
            if (o.what === 'profile') {
              // As the write side sends it: merged over the partner's own earlier profile.
              const mine = { ...own.get(key), ...sent };
              profileOf(pseudonym, o.partner, mine);
              own.set(key, mine);
              merged.set(pseudonym, { ...before, ...mine });
            } else {
              // An older event: merged over every partner's; the sender owns what it changed.
              const all = { ...before, ...sent };
              profile(pseudonym, all, o.partner);
              const changed = Object.entries(all).filter(([k, v]) => before[k as keyof OpenedProfile] !== v);
              own.set(key, { ...own.get(key), ...Object.fromEntries(changed) });
              merged.set(pseudonym, all);
            }
          } else if (o.what === 'erase') {
            erased.add(pseudonym);
            apply('PersonErased', { pseudonym, reason: 'asked' });
            merged.delete(pseudonym);
            for (const partner of ['a', 'b', 'c']) own.delete(`${partner}|${pseudonym}`);
          }
          if (o.what !== 'serve' || known) pos++;
        }
        // From scratch: each person's first live service (of any partner, or of one), and the profile.
        const fromScratch = (partner: string | null) => {
          const firsts = new Map<string, { on: string; partner: string; pos: number }>();
          for (const s of services.values()) {
            if (s.voided || (partner !== null && s.partner !== partner)) continue;
            const f = firsts.get(s.pseudonym);
            if (!f || s.on < f.on || (s.on === f.on && s.pos < f.pos)) firsts.set(s.pseudonym, s);
          }
          const expected = {
            reached: firsts.size,
            byPartner: {} as Record<string, number>,
            bySex: {} as Record<string, number>,
            byDisability: {} as Record<string, number>,
            byAge: {} as Record<string, number>,
          };
          const add = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
          for (const [pseudonym, f] of firsts) {
            const p = partner === null ? merged.get(pseudonym) : own.get(`${partner}|${pseudonym}`);
            // The birth date is the code's: known once anyone sent it (the partner typed the same code).
            const birthDate = merged.get(pseudonym)?.birthDate;
            add(expected.byPartner, f.partner);
            add(expected.bySex, p?.sex ?? 'unknown');
            add(expected.byDisability, p?.disability === undefined ? 'unknown' : p.disability ? 'yes' : 'no');
            let age = 'unknown';
            if (birthDate) {
              const years = Number(f.on.slice(0, 4)) - Number(birthDate.slice(0, 4));
              age = String(f.on.slice(5) < birthDate.slice(5) ? years - 1 : years);
            }
            add(expected.byAge, age);
          }
          return expected;
        };
        const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort());
        const positive = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, n]) => n > 0));
        const check = (got: ReturnType<typeof personsReached>, expected: ReturnType<typeof fromScratch>) => {
          expect(got.reached).toBe(expected.reached);
          expect(got.byPartner).toEqual(sorted(expected.byPartner));
          expect(positive(got.bySex)).toEqual(expected.bySex);
          expect(positive(got.byDisability)).toEqual(expected.byDisability);
          expect(got.byAgeAtEntry).toEqual(sorted(expected.byAge));
        };
        const project = fromScratch(null);
        check(personsReached(db, 'P'), project);
        for (const partner of ['a', 'b', 'c']) {
          check(personsReached(db, 'P', partner), fromScratch(partner));
          // The partners' shares of the project sum to it.
          expect(personsReached(db, 'P', partner, { share: true }).reached).toBe(project.byPartner[partner] ?? 0);
        }
        // Counted from the persons' rows (what an as-of answer does), the tallies are the tables'.
        const scopes: [string | undefined, { share?: boolean }][] = [[undefined, {}]];
        for (const x of ['a', 'b', 'c']) scopes.push([x, {}], [x, { share: true }]);
        for (const [partner, options] of scopes)
          expect(personsReached(db, 'P', partner, options, personsTallies(db))).toEqual(
            personsReached(db, 'P', partner, options),
          );
      }),
      { numRuns: 300 },
    );
  });
});
