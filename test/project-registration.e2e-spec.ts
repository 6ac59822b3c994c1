import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { loadApiConfig } from '@ihl/config';
import { mintToken } from '@ihl/auth';
import { EsdbEventStore, SqliteEventStore, type EventStore } from '@ihl/event-store';
import { createApiApp } from '@ihl/http-api';
import { startEsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';

const definition = JSON.parse(readFileSync(join(__dirname, '../projects/07-003-P-0001.json'), 'utf8'));
const SECRET = 'e2e-secret-that-is-long-enough-0123456789';

type StoreFactory = (dir: string) => Promise<{ store: EventStore; dispose: () => Promise<void> }>;

const adapters: [string, StoreFactory][] = [
  [
    'embedded SQLite',
    async (dir) => {
      const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
      return { store, dispose: () => store.close() };
    },
  ],
  [
    'EventStoreDB adapter over gRPC (stand-in)',
    async () => {
      const server = await startEsdbStandIn();
      const store = new EsdbEventStore({ connectionString: server.connectionString });
      return {
        store,
        dispose: async () => {
          await store.close();
          await server.close();
        },
      };
    },
  ],
];

describe.each(adapters)('register the project over HTTP (%s)', (_name, openStore) => {
  let dir: string;
  let app: INestApplication;
  let store: EventStore;
  let disposeStore: () => Promise<void>;
  let base: string;
  let admin: string;
  let partner: string;
  let auditor: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-e2e-'));
    const config = loadApiConfig({
      LEDGER_JWT_SECRET: SECRET,
      DATA_DIR: dir,
      BODY_LIMIT_BYTES: '65536',
      LEDGER_PSEUDONYM_KEY: '1'.repeat(64),
      LEDGER_PROFILE_MASTER_KEY: '2'.repeat(64),
    });
    ({ store, dispose: disposeStore } = await openStore(dir));
    app = await createApiApp({ config, eventStore: store, logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    const settings = { secret: SECRET, issuer: config.jwtIssuer };
    admin = await mintToken(settings, { subject: 'admin-1', role: 'admin' });
    auditor = await mintToken(settings, { subject: 'auditor-1', role: 'agency-auditor' });
    partner = await mintToken(settings, {
      subject: 'visaginas-user',
      role: 'partner-submitter',
      partnerId: 'visaginas-spc',
    });
  });

  afterAll(async () => {
    await app.close();
    await disposeStore();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: unknown, token = admin) =>
    request(base)
      .post('/api/v1/projects')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(body as object);

  /** Every refused request must leave the log exactly as it was. */
  async function expectNothingWritten<T>(act: () => Promise<T>): Promise<T> {
    const before = await store.headPosition();
    const result = await act();
    expect(await store.headPosition()).toBe(before);
    return result;
  }

  it('answers /health without a token', async () => {
    const res = await request(base).get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      eventStore: { headPosition: expect.any(Number) },
      readModels: { mode: 'run', reached: expect.any(Number), behind: expect.any(Number), unreadableProfiles: 0 },
    });
  });

  it('refuses missing, forged and under-privileged tokens', async () => {
    await expectNothingWritten(async () => {
      await post(definition, '').expect(401);
      const forged = await mintToken(
        { secret: 'another-secret-that-is-long-enough-000', issuer: 'integral-help-ledger' },
        { subject: 'x', role: 'admin' },
      );
      const r = await post(definition, forged).expect(401);
      expect(r.body.message).toMatch(/token/);
      await post(definition, partner).expect(403);
      await post(definition, auditor).expect(403);
    });
  });

  it('registers the reference project through the CommandBus and reads it back', async () => {
    const res = await post(definition).expect(201);
    expect(res.body).toEqual({
      code: '07-003-P-0001',
      streamId: 'project-07-003-P-0001',
      revision: 0,
      position: expect.any(Number),
    });
    expect(res.headers.etag).toBe('"0"');
    const got = await request(base)
      .get('/api/v1/projects/07-003-P-0001')
      .set('Authorization', `Bearer ${partner}`)
      .expect(200);
    expect(got.body).toMatchObject({
      code: '07-003-P-0001',
      envelope: '43940212.00',
      period: { start: '2022-12-08', end: '2026-12-31' },
      targets: [{ id: 'persons-reached', value: 4018, indicator: 'unique-persons-reached' }],
      partners: [{ id: 'visaginas-spc', joinedOn: '2023-01-02' }],
      revision: 0,
      position: res.body.position,
    });
    const [event] = await store.readStream('project-07-003-P-0001');
    expect(event!.type).toBe('ProjectRegistered');
    expect(event!.metadata).toMatchObject({
      actor: { subject: 'admin-1', role: 'admin' },
      correlationId: expect.any(String),
      recordedAt: expect.any(String),
      eventId: event!.eventId,
    });
    expect((event!.data as { definition: { envelopeCents: number } }).definition.envelopeCents).toBe(4_394_021_200);
  });

  it('answers a retry with the same definition with the original result and writes nothing', async () => {
    const first = await request(base)
      .get('/api/v1/projects/07-003-P-0001')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const res = await expectNothingWritten(() => post(definition).expect(200));
    expect(res.body).toEqual({
      code: '07-003-P-0001',
      streamId: 'project-07-003-P-0001',
      revision: 0,
      position: first.body.position,
    });
  });

  it('refuses a different definition under a registered code (409)', async () => {
    const res = await expectNothingWritten(() => post({ ...definition, envelope: '1.00' }).expect(409));
    expect(res.body.message).toMatch(/already registered/);
  });

  it('answers 404 for an unknown project', async () => {
    await request(base).get('/api/v1/projects/NOPE-1').set('Authorization', `Bearer ${auditor}`).expect(404);
  });

  describe('bad input gets a 4xx naming the field and the rule, and writes nothing', () => {
    const other = { ...definition, code: 'TEST-0002' };
    const cases: [string, unknown, number, string, string][] = [
      ['float money', { ...other, envelope: 43940212.5 }, 400, 'envelope', 'matches'],
      ['money with three decimals', { ...other, envelope: '1.005' }, 400, 'envelope', 'matches'],
      ['unknown top-level field', { ...other, owner: 'me' }, 400, 'owner', 'unknown-field'],
      [
        'unknown nested field',
        { ...other, partners: [{ ...definition.partners[0], iban: 'LT00' }] },
        400,
        'partners[0].iban',
        'unknown-field',
      ],
      ['wrong type', { ...other, targets: 'many' }, 400, 'targets', 'isArray'],
      ['bad date', { ...other, period: { start: '08/12/2022', end: '2026-12-31' } }, 400, 'period.start', 'matches'],
      [
        'impossible date',
        { ...other, period: { start: '2023-02-30', end: '2026-12-31' } },
        422,
        'period.start',
        'iso-date',
      ],
      [
        'shares not 100 %',
        { ...other, coFinancing: { esfPlusBp: 9000, nationalBp: 1500 } },
        422,
        'coFinancing',
        'sum-100-percent',
      ],
      [
        'partner joined before the project',
        { ...other, partners: [{ ...definition.partners[0], joinedOn: '2020-01-01' }] },
        422,
        'partners[0].joinedOn',
        'within-period',
      ],
    ];
    it.each(cases)('%s', async (_name, body, status, field, rule) => {
      const res = await expectNothingWritten(() => post(body).expect(status));
      expect(res.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      expect(res.body.message).toContain(field);
    });

    it('malformed JSON', async () => {
      const res = await expectNothingWritten(() =>
        request(base)
          .post('/api/v1/projects')
          .set('Authorization', `Bearer ${admin}`)
          .set('Content-Type', 'application/json')
          .send('{"code": "X",')
          .expect(400),
      );
      expect(res.body.issues).toEqual([expect.objectContaining({ field: '(body)', rule: 'json' })]);
    });

    it('an oversized body', async () => {
      const res = await expectNothingWritten(() => post({ ...other, notes: ['x'.repeat(70_000)] }).expect(413));
      expect(res.body.issues).toEqual([expect.objectContaining({ field: '(body)', rule: 'max-size' })]);
    });

    it('a non-JSON content type', async () => {
      await expectNothingWritten(() =>
        request(base)
          .post('/api/v1/projects')
          .set('Authorization', `Bearer ${admin}`)
          .set('Content-Type', 'text/plain')
          .send('code=1')
          .expect(415)
          .expect((res) =>
            expect(res.body.issues).toEqual([expect.objectContaining({ field: 'Content-Type', rule: 'json' })]),
          ),
      );
    });
  });
});
