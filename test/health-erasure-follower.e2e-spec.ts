import request from 'supertest';
import { EsdbEventStore } from '@ihl/event-store';
import { waitUntil } from './support/browser';
import { startEsdbStandInProcess, type EsdbStandInProcess } from './support/esdb-stand-in-process';
import { CODE, seedProject, startLedgerTestAppOn, type LedgerTestApp } from './support/ledger-test-app';
import {
  CANDIDATE_CODES,
  ERASURE_PATH,
  ERASURE_REASON,
  SERVICE_PATH,
  serviceBody,
} from './support/personal-data-scenario';

// With the person keys shared on EventStoreDB (the stand-in, in a child process: the key store's
// calls block this thread), /health and /health/ready show what brings other replicas' erasures
// here: running with its position, then behind once the store is gone.

interface FollowerCheck {
  readonly ok: boolean;
  readonly status: string;
  readonly position: number;
  readonly erasuresSeen: number;
  readonly reason?: string;
}

describe('/health: the erasure follower of shared person keys', () => {
  let server: EsdbStandInProcess;
  let t: LedgerTestApp<EsdbEventStore>;
  const ready = async () =>
    (await request(t.base).get('/health/ready')).body as {
      status: string;
      degraded?: string[];
      checks: { erasureFollower?: FollowerCheck };
    };

  beforeAll(async () => {
    server = await startEsdbStandInProcess();
    t = await startLedgerTestAppOn(new EsdbEventStore({ connectionString: server.connectionString }), undefined, {
      LEDGER_PERSON_KEYS: 'eventstore',
      EVENTSTORE_CONNECTION_STRING: server.connectionString,
    });
    await seedProject(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  it('is running, and its position and count move with an erasure', async () => {
    await waitUntil(async () => (await ready()).checks.erasureFollower?.status === 'running', 'the follower runs');
    const before = (await request(t.base).get('/health').expect(200)).body.erasureFollower as FollowerCheck;
    expect(before).toMatchObject({ ok: true, status: 'running', erasuresSeen: 0 });
    const code = CANDIDATE_CODES[3]!;
    await request(t.base)
      .post(SERVICE_PATH(CODE))
      .set(t.as('partnerA'))
      .send(serviceBody(code, { sex: 'male' }))
      .expect(201);
    await request(t.base)
      .post(ERASURE_PATH)
      .set(t.as('admin'))
      .send({ personalCode: code, reason: ERASURE_REASON })
      .expect(201);
    await waitUntil(async () => (await ready()).checks.erasureFollower?.erasuresSeen === 1, 'the erasure is followed');
    const after = (await ready()).checks.erasureFollower!;
    expect(after.position).toBeGreaterThan(before.position);
    expect(JSON.stringify(after)).not.toContain(code);
  }, 60_000);

  it('is behind, with a reason, once the store is gone', async () => {
    await server.stop();
    await waitUntil(
      async () => (await ready()).checks.erasureFollower?.status === 'behind',
      'the follower is behind',
      60_000,
    );
    const r = await ready();
    expect(r.checks.erasureFollower).toMatchObject({ ok: false, status: 'behind' });
    expect(r.checks.erasureFollower!.reason).toMatch(/erased elsewhere/);
    expect(r.degraded).toContain('erasureFollower');
  }, 90_000);
});
