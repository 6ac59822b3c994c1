import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDBClient, StreamDeletedError } from '@eventstore/db-client';
import { EsdbEventStore } from '@ihl/event-store';
import { startEsdbStandIn, type EsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';
import { exited, startServe, tokens } from './support/crash-round';
import { lithuanianCode } from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';

// Two `ledger serve` processes, each with its own data directory (its own read models), on ONE
// EventStoreDB (the gRPC stand-in, served by this test process) and ONE redis-server, with the
// person keys shared on the EventStoreDB (LEDGER_PERSON_KEYS=eventstore). Without that setting each
// replica has its own key file: B cannot open the profiles A sealed, so the figures differ and the
// same Idempotency-Key sent to both is refused on one (its request fingerprint differs).

const PROJECT = '/api/v1/projects/07-003-P-0001';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Replica = Awaited<ReturnType<typeof startServe>> & { readonly dir: string };
type Token = Awaited<ReturnType<typeof tokens>>;

const people = ['4450301123', '3470702123', '4800202123', '3900505123'].map(lithuanianCode) as [
  string,
  string,
  string,
  string,
];
const PROFILES = [
  { sex: 'female', disability: true },
  { sex: 'male', disability: false },
  { sex: 'female', disability: false },
  { sex: 'male', disability: true },
];

function service(personalCode: string, profile?: object): object {
  return {
    occurredOn: '2024-03-01',
    service: 'care',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 30,
    recipient: { personalCode, ...(profile ? { profile } : {}) },
  };
}

async function post(r: Replica, token: string, path: string, body: object, key: string) {
  const res = await fetch(`${r.base}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Progress {
  readonly personsReached: number;
  readonly bySex: Record<string, number>;
  readonly byDisability: Record<string, number>;
}

async function get<T = Record<string, unknown>>(r: Replica, token: string, path: string): Promise<T> {
  const res = await fetch(`${r.base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const body: unknown = await res.json();
  if (res.status !== 200) throw new Error(`${path} on ${r.base}: ${res.status} ${JSON.stringify(body)}`);
  return body as T;
}

/** What `check` gives once it holds, polled: a replica catches up with the log on its own. */
async function eventually<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 300; i++) {
    last = await read();
    if (check(last)) return last;
    await sleep(100);
  }
  throw new Error(`${what}: never, last ${JSON.stringify(last)}`);
}

describe('two api processes on one EventStoreDB and one Redis (LEDGER_PERSON_KEYS=eventstore)', () => {
  let standIn: EsdbStandIn;
  let redis: RedisServer;
  let a: Replica;
  let b: Replica;
  let token: Token;
  let last = 0;

  const start = async (name: string): Promise<Replica> => {
    const dir = mkdtempSync(join(tmpdir(), `ihl-replica-${name}-`));
    const running = await startServe(dir, {
      EVENTSTORE_CONNECTION_STRING: standIn.connectionString,
      REDIS_URL: redis.url,
      LEDGER_PERSON_KEYS: 'eventstore',
    });
    return Object.assign(running, { dir });
  };
  const serveOn = async (r: Replica, n: number, key: string) => {
    const res = await post(
      r,
      token.partner,
      `${PROJECT}/activities/service-deliveries`,
      service(people[n]!, PROFILES[n]),
      key,
    );
    if (res.status !== 201) throw new Error(`service ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    last = Math.max(last, res.body.position as number);
  };
  const figures = (r: Replica, query = `position=${last}`) =>
    Promise.all([
      get<Progress>(r, token.auditor, `${PROJECT}/progress?${query}`),
      get(r, token.auditor, `${PROJECT}/budget?${query}`),
    ]);

  beforeAll(async () => {
    standIn = await startEsdbStandIn();
    redis = await startRedisServer();
    // One after the other: each registers the project at start (the second finds it registered).
    a = await start('a');
    b = await start('b');
    token = await tokens();
  }, 400_000);
  afterAll(async () => {
    for (const r of [a, b]) {
      if (!r) continue;
      r.child.kill('SIGTERM');
      await exited(r.child);
      rmSync(r.dir, { recursive: true, force: true });
    }
    await redis?.stop();
    await standIn?.close();
  }, 60_000);

  it('writes through either replica; once caught up both show the same figures, profiles sealed on A read on B', async () => {
    await serveOn(a, 0, 'replicas-0');
    await serveOn(b, 1, 'replicas-1');
    await serveOn(a, 2, 'replicas-2');
    await serveOn(b, 3, 'replicas-3');
    const [onA, onB] = await Promise.all([figures(a), figures(b)]);
    expect(onB).toEqual(onA);
    const [progress] = onB;
    expect(progress.personsReached).toBe(4);
    // Every profile was opened on both, whichever replica sealed it.
    expect(progress.bySex).toEqual(expect.objectContaining({ female: 2, male: 2, unknown: 0 }));
    expect(progress.byDisability).toEqual(expect.objectContaining({ yes: 2, no: 2, unknown: 0 }));
  }, 120_000);

  it('the same Idempotency-Key sent to both at once has one effect, and both answer with it', async () => {
    const body = service(lithuanianCode('3610101123'), { sex: 'male', disability: false });
    const path = `${PROJECT}/activities/service-deliveries`;
    const answers = await Promise.all([
      post(a, token.partner, path, body, 'replicas-same-key'),
      post(b, token.partner, path, body, 'replicas-same-key'),
    ]);
    const again = await post(b, token.partner, path, body, 'replicas-same-key');
    expect(answers.map((x) => x.status).sort()).toEqual([200, 201]);
    expect(again.status).toBe(200);
    const ids = [...answers, again].map((x) => x.body.streamId);
    expect(new Set(ids).size).toBe(1);
    last = Math.max(last, ...answers.map((x) => x.body.position as number));
    const log = new EsdbEventStore({ connectionString: standIn.connectionString });
    try {
      const keyed = (await log.readAll()).filter((e) => e.metadata.idempotencyKey === 'replicas-same-key');
      expect(keyed.map((e) => e.type)).toEqual(['ServiceDelivered']);
      const recorded = (await log.readAll()).filter((e) => e.type === 'PersonProfileRecorded');
      expect(recorded).toHaveLength(5);
    } finally {
      await log.close();
    }
    const [onA, onB] = await Promise.all([figures(a), figures(b)]);
    expect(onB).toEqual(onA);
    expect(onA[0].personsReached).toBe(5);
  }, 120_000);

  it('an erasure made on A: the key is destroyed on the store, and B no longer opens the profile, even as of before', async () => {
    const before = last;
    const [asOfBefore] = await figures(b, `asOf=${before}`);
    expect(asOfBefore.bySex.male).toBe(3);
    // Jonas's profile was sealed on B (replicas-1); A erases him.
    const erased = await post(
      a,
      token.admin,
      '/api/v1/persons/erasures',
      { personalCode: people[1], reason: 'GDPR art. 17' },
      'replicas-erase',
    );
    expect(erased.status).toBe(201);
    last = erased.body.position as number;
    const keys = EventStoreDBClient.connectionString(standIn.connectionString);
    try {
      await expect(async () => {
        for await (const _ of keys.readStream(`ihl-person-key-${String(erased.body.pseudonym)}`)) void _;
      }).rejects.toBeInstanceOf(StreamDeletedError);
    } finally {
      await keys.dispose();
    }
    const [onA, onB] = await Promise.all([figures(a), figures(b)]);
    expect(onB).toEqual(onA);
    expect(onB[0].bySex).toEqual(expect.objectContaining({ male: 2, unknown: 1 }));
    // A report as of a moment before the erasure is replayed from the log: B must open no profile of
    // Jonas any more, so it has dropped the key it held (the erasure event reached it).
    const replayed = await eventually(
      'B replays the report before the erasure without the erased profile',
      () => figures(b, `asOf=${before}`),
      ([p]) => p.bySex.male === 2,
    );
    expect(replayed[0].bySex).toEqual(expect.objectContaining({ male: 2, unknown: 1 }));
  }, 120_000);
});
