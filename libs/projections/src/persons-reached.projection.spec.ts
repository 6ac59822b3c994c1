import Database from 'better-sqlite3';
import type { JsonValue, StoredEvent } from '@ihl/event-store';
import {
  createPersonsReachedProjection,
  erasureCount,
  personsReached,
  type OpenedProfile,
} from './persons-reached.projection';

/** Events applied straight to the projection; profiles "sealed" as JSON by a stand-in opener. */
function setup() {
  const db = new Database(':memory:');
  const erased = new Set<string>();
  const projection = createPersonsReachedProjection((pseudonym, sealed) =>
    erased.has(pseudonym) ? null : (JSON.parse(sealed) as OpenedProfile),
  );
  db.exec(projection.schema);
  let position = 0;
  const apply = (type: string, data: Record<string, JsonValue>) =>
    projection.apply(db, {
      position: ++position,
      streamId: 'x',
      revision: 0,
      eventId: String(position),
      type,
      schemaVersion: 1,
      data,
      metadata: {} as StoredEvent['metadata'],
      recordedAt: '2024-06-15T10:00:00Z',
    });
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
