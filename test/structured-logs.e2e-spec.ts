import request from 'supertest';
import { createLedgerLog } from '@ihl/http-api';
import { containsPersonalCode } from '@ihl/privacy';
import { CODE, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { PERSONS, SERVICE_PATH, bruteForce, serviceBody, writeScenario } from './support/personal-data-scenario';

// The api's log as an operator ships it: JSON lines with a request id, route, status and duration,
// and nothing of the persons the requests were about.

describe('structured logs: one JSON line per request, no personal data', () => {
  let t: LedgerTestApp;
  const lines: string[] = [];
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    const log = createLedgerLog({
      service: 'api',
      level: 'info',
      destination: { write: (s: string) => lines.push(s) },
    });
    t = await startLedgerTestApp(undefined, {}, { log });
    await seedProject(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('takes a sane X-Request-Id, echoes it, and logs method, route template, status and duration', async () => {
    const person = PERSONS[0]!;
    const res = await request(t.base)
      .post(SERVICE_PATH(CODE))
      .set(t.as('partnerA'))
      .set('X-Request-Id', 'trace-0001')
      .send(serviceBody(person.code, person.profile))
      .expect(201);
    expect(res.headers['x-request-id']).toBe('trace-0001');
    const line = entries().find((e) => e.reqId === 'trace-0001');
    expect(line).toMatchObject({
      level: 'info',
      service: 'api',
      req: { id: 'trace-0001', method: 'POST' },
      route: '/api/v1/projects/:code/activities/service-deliveries',
      status: 201,
    });
    expect(typeof line!.durationMs).toBe('number');
    expect(typeof line!.time).toBe('string');
  });

  it('makes an id when none, or an unusable one (a personal code, too long, odd characters), is given', async () => {
    const given = [undefined, PERSONS[1]!.code, 'x'.repeat(65), 'a b', 'id\u00e9'];
    for (const id of given) {
      const r = request(t.base).get('/health/live');
      const res = await (id === undefined ? r : r.set('X-Request-Id', id)).expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('leaves out codes, profile values, tokens and cookies whatever the request carried', async () => {
    await writeScenario(t.base, CODE, { partner: t.tokens.partnerA, admin: t.tokens.admin });
    const [a, b] = [PERSONS[2]!, PERSONS[3]!];
    // In the query, the path, a cookie, a header, a refused body (a code one digit too long: 400).
    await request(t.base).get(`/api/v1/persons?code=${a.code}`).set(t.as('admin'));
    await request(t.base)
      .get(url(`/activities?personalCode=${a.code}&sex=female`))
      .set(t.as('auditor'));
    await request(t.base).get(`/api/v1/persons/${b.code}`).set(t.as('admin'));
    await request(t.base).get(url('/budget')).set('Cookie', `ihl_session=${b.code}`);
    await request(t.base)
      .post(SERVICE_PATH(CODE))
      .set(t.as('partnerA'))
      .set('X-Person', a.code)
      .send(serviceBody(`${a.code}1`, { sex: 'non-binary', birthYear: 1961, disability: true }))
      .expect(400);

    const text = lines.join('');
    expect(entries().filter((e) => e.req).length).toBeGreaterThanOrEqual(12);
    expect(containsPersonalCode(text)).toBe(false);
    expect(bruteForce([{ name: 'log', text }], CODE, { partner: 'visaginas-user', admin: 'admin-1' })).toEqual([]);
    for (const value of ['female', 'non-binary', 'birthYear', 'disability', 'personalCode', 'ihl_session'])
      expect(text).not.toContain(value);
    for (const token of Object.values(t.tokens)) expect(text).not.toContain(token.split('.')[2]);
    expect(text).not.toMatch(/authorization|cookie/i);
  });
});
