import request from 'supertest';
import { containsPersonalCode } from '@ihl/privacy';
import { createLedgerLog } from '@ihl/http-api';
import { CODE, seedProject, startLedgerTestApp, type LedgerTestApp } from './support/ledger-test-app';
import { CANDIDATE_CODES, SERVICE_PATH, serviceBody } from './support/personal-data-scenario';

// Each event a request writes names that request (`requestId`, the id its answer's X-Request-Id
// gave and its log line carries), so an event leads to the log of the request that wrote it.

describe("the request id in the events' metadata", () => {
  let t: LedgerTestApp;

  beforeAll(async () => {
    const log = createLedgerLog({ service: 'api', level: 'info', destination: { write: () => undefined } });
    t = await startLedgerTestApp(undefined, {}, { log });
    await seedProject(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const written = async (after: number) => t.store.readAll({ after });

  it("carries the id the answer gave, made here or the client's own, in every event of the write", async () => {
    const before = await t.store.headPosition();
    const made = await request(t.base)
      .post(SERVICE_PATH(CODE))
      .set(t.as('partnerA'))
      .send(serviceBody(CANDIDATE_CODES[5]!, { sex: 'female' }))
      .expect(201);
    const id = made.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const events = await written(before);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['PersonProfileRecorded']));
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const e of events) expect(e.metadata.requestId).toBe(id);

    const middle = await t.store.headPosition();
    await request(t.base)
      .post(SERVICE_PATH(CODE))
      .set(t.as('partnerA'))
      .set('X-Request-Id', 'client-req-42')
      .send(serviceBody(CANDIDATE_CODES[6]!, undefined))
      .expect(201)
      .expect('X-Request-Id', 'client-req-42');
    const second = await written(middle);
    expect(second.length).toBeGreaterThan(0);
    for (const e of second) expect(e.metadata.requestId).toBe('client-req-42');
  });

  it('never stores a personal code sent as the request id: a fresh id is given and stored instead', async () => {
    const before = await t.store.headPosition();
    const res = await request(t.base)
      .post(SERVICE_PATH(CODE))
      .set(t.as('partnerA'))
      .set('X-Request-Id', CANDIDATE_CODES[7]!)
      .send(serviceBody(CANDIDATE_CODES[8]!, undefined))
      .expect(201);
    const id = res.headers['x-request-id'] as string;
    expect(containsPersonalCode(id)).toBe(false);
    const events = await written(before);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.metadata.requestId).toBe(id);
      expect(containsPersonalCode(JSON.stringify(e.metadata))).toBe(false);
    }
  });
});
