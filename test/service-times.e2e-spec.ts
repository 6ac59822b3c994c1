// Service times (issue #19 item 4): a service record may carry its start and end time; the minutes
// are then derived from them, and minutes given with them must match. Records without times work as before.
import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const PERSON = lithuanianCode('3400101123');
const SERVICE = {
  occurredOn: '2024-05-06',
  service: 'care',
  targetGroup: 'elderly',
  setting: 'home',
  recipient: { personalCode: PERSON },
  workerRef: 'W-017',
};

describe('service times over HTTP', () => {
  let t: LedgerTestApp;
  const post = (body: object) =>
    request(t.base).post(url('/activities/service-deliveries')).set(t.as('partnerA')).send(body);

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
  });
  afterAll(() => t.close());

  it('derives the minutes from the times, accepts matching minutes, and keeps records without times', async () => {
    const timed = await post({ ...SERVICE, startTime: '08:30', endTime: '10:00' }).expect(201);
    const record = await request(t.base)
      .get(url(`/activities/${timed.body.activityId}`))
      .set(t.as('partnerA'))
      .expect(200);
    expect(record.body.state.fields).toMatchObject({ durationMinutes: 90, startTime: '08:30', endTime: '10:00' });
    await post({
      ...SERVICE,
      occurredOn: '2024-05-07',
      startTime: '12:00',
      endTime: '12:45',
      durationMinutes: 45,
    }).expect(201);
    const last = (await post({ ...SERVICE, occurredOn: '2024-05-08', durationMinutes: 30 }).expect(201)).body.position;
    const volumes = await request(t.base)
      .get(url(`/volumes?position=${last}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(volumes.body.caseload).toEqual([
      expect.objectContaining({ partnerId: 'visaginas-spc', workerRef: 'W-017', services: 3, persons: 1 }),
    ]);
  });

  it('refuses minutes that do not match, an end before the start, one time alone or neither minutes nor times', async () => {
    const head = await t.store.headPosition();
    const wrong = await post({ ...SERVICE, startTime: '08:30', endTime: '10:00', durationMinutes: 60 }).expect(422);
    expect(wrong.body.issues).toEqual([expect.objectContaining({ field: 'durationMinutes', rule: 'matches-times' })]);
    const backwards = await post({ ...SERVICE, startTime: '10:00', endTime: '08:30' }).expect(422);
    expect(backwards.body.issues).toEqual([expect.objectContaining({ field: 'endTime', rule: 'end-after-start' })]);
    const alone = await post({ ...SERVICE, startTime: '10:00', durationMinutes: 30 }).expect(422);
    expect(alone.body.issues).toEqual([expect.objectContaining({ field: 'endTime', rule: 'times-together' })]);
    const badTime = await post({ ...SERVICE, startTime: '9:00', endTime: '10:00' }).expect(400);
    expect(JSON.stringify(badTime.body)).toContain('startTime');
    const neither = await post(SERVICE).expect(400);
    expect(JSON.stringify(neither.body)).toContain('durationMinutes');
    expect(await t.store.headPosition()).toBe(head);
  });
});
