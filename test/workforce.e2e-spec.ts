// Workforce (issue #19 item 4): a partner records its own mobile teams' workers (references, never
// names), positions vacated and filled and persons whose service ended; the agency reads them.
import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const PERSON = lithuanianCode('4860318174');
/** Served by partner B only, then by A after the day its ending names. */
const OTHERS = lithuanianCode('4860318175');
const service = (occurredOn: string, personalCode: string) => ({
  occurredOn,
  service: 'care',
  targetGroup: 'elderly',
  setting: 'home',
  durationMinutes: 60,
  recipient: { personalCode },
});
const WORKER = { workerRef: 'W-017', teamRef: 'T-north', role: 'assistant', startedOn: '2024-02-01' };

describe('workforce: workers, positions and service endings', () => {
  let t: LedgerTestApp;
  const post = (who: 'partnerA' | 'partnerB' | 'auditor', path: string, body: object) =>
    request(t.base).post(url(path)).set(t.as(who)).send(body);
  const read = (who: 'partnerA' | 'partnerB' | 'auditor' | 'finance', query: string) =>
    request(t.base)
      .get(url(`/workforce${query}`))
      .set(t.as(who));

  beforeAll(async () => {
    t = await startLedgerTestApp(new Date('2024-06-15T10:00:00Z'));
    await seedProject(t);
    // Only a person the partner has served can have a service that ends.
    await post('partnerA', '/activities/service-deliveries', service('2024-05-02', PERSON)).expect(201);
  });
  afterAll(() => t.close());

  it('the partner registers, moves and loses a worker, vacates and fills a position; the same again is 200', async () => {
    await post('partnerA', '/workforce/workers', WORKER).expect(201);
    await post('partnerA', '/workforce/workers', WORKER).expect(200);
    await post('partnerA', '/workforce/workers', { ...WORKER, workerRef: 'W-018', startedOn: '2024-03-01' }).expect(
      201,
    );
    await post('partnerA', '/workforce/workers/W-017/assignments', {
      teamRef: 'T-south',
      assignedOn: '2024-04-01',
    }).expect(201);
    await post('partnerA', '/workforce/workers/W-017/departure', { leftOn: '2024-05-31' }).expect(201);
    const vacancy = { positionRef: 'P-07', teamRef: 'T-south', role: 'assistant', vacatedOn: '2024-05-31' };
    await post('partnerA', '/workforce/positions', vacancy).expect(201);
    await post('partnerA', '/workforce/positions/P-07/fill', { workerRef: 'W-018', filledOn: '2024-06-03' }).expect(
      201,
    );
    const end = { recipient: { personalCode: PERSON }, endedOn: '2024-06-10', reason: 'residential-care' };
    const ended = await post('partnerA', '/service-endings', end).expect(201);
    expect(JSON.stringify(ended.body)).not.toContain(PERSON);

    const view = await read('auditor', '?partnerId=visaginas-spc').expect(200);
    expect(view.body.workers).toEqual([
      { ...WORKER, leftOn: '2024-05-31', moves: [{ teamRef: 'T-south', assignedOn: '2024-04-01' }] },
      { ...WORKER, workerRef: 'W-018', startedOn: '2024-03-01', leftOn: null, moves: [] },
    ]);
    expect(view.body.positions).toEqual([{ ...vacancy, filledOn: '2024-06-03', workerRef: 'W-018' }]);
    expect(view.body.serviceEndings).toEqual([{ endedOn: '2024-06-10', reason: 'residential-care' }]);
    expect(JSON.stringify(view.body)).not.toContain(PERSON);
    expect(view.body.history.map((h: { type: string }) => h.type)).toEqual([
      'WorkerRegistered',
      'WorkerRegistered',
      'WorkerAssigned',
      'WorkerLeft',
      'PositionVacated',
      'PositionFilled',
      'ServiceEnded',
    ]);
    // As of the move, the worker had not left and the position was not yet vacant.
    const then = await read('auditor', `?partnerId=visaginas-spc&asOf=${view.body.history[2].position}`).expect(200);
    expect([then.body.workers[0].leftOn, then.body.positions]).toEqual([null, []]);
  });

  it('bad input is a 4xx naming the field, and writes nothing', async () => {
    const before = (await read('partnerA', '').expect(200)).body.revision;
    const name = await post('partnerA', '/workforce/workers', { ...WORKER, workerRef: 'Jonas Jonaitis' }).expect(400);
    expect(JSON.stringify(name.body)).toContain('workerRef');
    const code = await post('partnerA', '/workforce/workers', { ...WORKER, workerRef: PERSON });
    expect(code.status).toBeGreaterThanOrEqual(400);
    expect(code.status).toBeLessThan(500);
    expect(JSON.stringify(code.body)).not.toContain(PERSON);
    const other = await post('partnerA', '/service-endings', {
      recipient: { personalCode: PERSON },
      endedOn: '2024-06-11',
      reason: 'other',
    }).expect(422);
    expect(other.body.issues).toEqual([expect.objectContaining({ field: 'note', rule: 'required-for-other' })]);
    const left = await post('partnerA', '/workforce/positions/P-07/fill', {
      workerRef: 'W-017',
      filledOn: '2024-06-12',
    });
    expect(left.status).toBe(409);
    expect((await read('partnerA', '').expect(200)).body.revision).toBe(before);
  });

  it('an ending for a person the partner never served (by that day) is 422 naming the rule, and writes nothing', async () => {
    await post('partnerB', '/activities/service-deliveries', service('2024-05-03', OTHERS)).expect(201);
    await post('partnerA', '/activities/service-deliveries', service('2024-06-05', OTHERS)).expect(201);
    const before = (await read('partnerA', '').expect(200)).body.revision;
    const ending = { recipient: { personalCode: OTHERS }, endedOn: '2024-06-01', reason: 'moved-away' };
    const refused = await post('partnerA', '/service-endings', ending).expect(422);
    expect(refused.body.issues).toEqual([
      expect.objectContaining({ field: 'recipient.personalCode', rule: 'served-by-partner' }),
    ]);
    expect(JSON.stringify(refused.body)).not.toContain(OTHERS);
    expect((await read('partnerA', '').expect(200)).body.revision).toBe(before);
    // Served by A on 5 June (recorded just before): an ending on the 10th is taken.
    await post('partnerA', '/service-endings', { ...ending, endedOn: '2024-06-10' }).expect(201);
  });

  it('partner B sees only its own (empty) workforce, cannot name A; finance is refused; the agency must name a partner', async () => {
    const own = await read('partnerB', '').expect(200);
    expect(own.body).toMatchObject({ partnerId: 'utena-spc', workers: [], revision: -1 });
    await read('partnerB', '?partnerId=visaginas-spc').expect(403);
    await post('partnerB', '/workforce/workers', { ...WORKER, partnerId: 'visaginas-spc' }).expect(403);
    await post('auditor', '/workforce/workers', WORKER).expect(403);
    await read('finance', '?partnerId=visaginas-spc').expect(403);
    const unnamed = await read('auditor', '').expect(400);
    expect(JSON.stringify(unnamed.body)).toContain('partnerId');
  });
});
