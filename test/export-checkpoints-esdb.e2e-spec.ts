import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { runVerifyOnEventStoreDb } from '../apps/cli/src/commands/verify.command';
import type { JobWorker } from '@ihl/jobs';
import {
  EsdbEventStore,
  checkpointToken,
  esdbCheckpointMessage,
  findCheckpointToken,
  fromLedgerCheckpoint,
  toLedgerCheckpoint,
} from '@ihl/event-store';
import { binaryBody } from './support/binary-body';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { finishedJob, startReportWorker } from './support/report-worker';
import { startEsdbStandIn, type EsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';
import { lithuanianCode, seedProject, startLedgerTestAppOn, url, type LedgerTestApp } from './support/ledger-test-app';

type Who = 'admin' | 'auditor' | 'finance' | 'partnerA';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

/**
 * On EventStoreDB too, exports carry the signed checkpoint they were built on (one of the server's
 * `$ihl-checkpoints`), and `ledger verify --report` proves them against the server's log.
 */
describe('exports on EventStoreDB carry their checkpoint; ledger verify --report proves them there', () => {
  let standIn: EsdbStandIn;
  let redis: RedisServer;
  let worker: JobWorker;
  let t: LedgerTestApp<EsdbEventStore>;
  const scratch = mkdtempSync(join(tmpdir(), 'ihl-esdb-stamped-'));
  const files = new Map<string, string>();
  let token = '';
  let activityId = '';

  const get = (who: Who, path: string) => request(t.base).get(path).set(t.as(who)).buffer(true).parse(binaryBody);
  const save = (name: string, body: Buffer) => {
    const file = join(scratch, name);
    writeFileSync(file, body);
    files.set(name, file);
    return file;
  };
  const verify = (report: string, key = publicKey) =>
    runVerifyOnEventStoreDb({
      dataDir: scratch,
      eventStoreConnectionString: standIn.connectionString,
      publicKey: key,
      report,
    });

  beforeAll(async () => {
    standIn = await startEsdbStandIn();
    const store = new EsdbEventStore({ connectionString: standIn.connectionString });
    redis = await startRedisServer();
    t = await startLedgerTestAppOn(store, undefined, { REDIS_URL: redis.url }, { checkpointKey: privateKey });
    await seedProject(t);
    worker = await startReportWorker(redis.url, t.app, t.dir);
    const res = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send({
        occurredOn: '2024-03-14',
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 60,
        recipient: { personalCode: lithuanianCode('4400101321'), profile: { sex: 'female', birthYear: 1940 } },
      })
      .expect(201);
    activityId = res.body.activityId;
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await standIn?.close();
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('carries none before a checkpoint was signed, as on SQLite', async () => {
    const res = await get('auditor', url('/activities?format=csv')).expect(200);
    expect(res.headers['x-ledger-checkpoint']).toBeUndefined();
    expect((res.body as Buffer).toString('utf8')).not.toContain('IHL-');
    expect(await t.store.checkpointAtOrBelow(Number.MAX_SAFE_INTEGER)).toBeNull();
  });

  it('the admin route signs one in $ihl-checkpoints and answers it with its token', async () => {
    const res = await request(t.base).post('/api/v1/admin/checkpoints').set(t.as('admin')).send({}).expect(201);
    expect(res.body).toMatchObject({ position: await t.store.headPosition(), esdb: { streams: expect.any(Number) } });
    expect(res.body.token).toMatch(new RegExp(`^IHL-ESDB-CHECKPOINT/1:${res.body.position}:${res.body.hash}:`));
    token = res.body.token;
    const listed = await request(t.base).get('/api/v1/admin/checkpoints').set(t.as('auditor')).expect(200);
    expect(listed.body).toEqual({ checkpoints: [res.body] });
    // A write after it: the files built later carry it too (their tail is proven by the chains alone).
    await request(t.base)
      .post(url(`/activities/${activityId}/verify`))
      .set(t.as('auditor'))
      .send({ note: 'matches the log' })
      .expect(201);
  });

  it('CSV, XLSX, ESF+ JSON, IATI XML and the XLSX and PDF report packs carry it, and verify --report proves each', async () => {
    const csv = await get('auditor', url('/activities?format=csv')).expect(200);
    expect(csv.headers['x-ledger-checkpoint']).toBe(token.split(':')[1]);
    expect((csv.body as Buffer).toString('utf8').split('\n')[0]).toMatch(/^# IHL-POSITION\/1:\d+ IHL-ESDB-CHECKPOINT/);
    save('activities.csv', csv.body as Buffer);
    save('activities.xlsx', (await get('auditor', url('/activities?format=xlsx')).expect(200)).body as Buffer);
    const esf = (await get('auditor', url('/exports/esf-indicators')).expect(200)).body as Buffer;
    expect(JSON.parse(esf.toString('utf8')).ledgerCheckpoint.token).toContain(token);
    save('esf.json', esf);
    const iati = (await get('auditor', url('/exports/iati')).expect(200)).body as Buffer;
    expect(iati.toString('utf8')).toContain(`<!-- IHL-POSITION/1:`);
    save('iati.xml', iati);
    for (const format of ['xlsx', 'pdf'] as const) {
      const res = await request(t.base).post(url('/reports')).set(t.as('finance')).send({ format }).expect(202);
      const job = await finishedJob(t.base, res.headers.location!, t.as('finance'));
      expect(job).toMatchObject({ state: 'completed', failedReason: null });
      save(`pack.${format}`, (await get('finance', `${res.headers.location!}/result`).expect(200)).body as Buffer);
    }
    const book = new Workbook();
    await book.xlsx.readFile(files.get('activities.xlsx')!);
    expect(book.keywords).toContain(token);
    for (const [name, file] of files) {
      const r = await verify(file);
      expect([name, r]).toEqual([name, expect.objectContaining({ ok: true })]);
      expect(r.lines).toContainEqual(expect.stringMatching(/no signature covers them$/));
    }
  }, 120_000);

  it('refuses a forged token, one another key signed, one not kept in the server, and a SQLite token', async () => {
    const csv = readFileSync(files.get('activities.csv')!, 'utf8');
    const hash = token.split(':')[2]!;
    const forged = save(
      'forged.csv',
      Buffer.from(
        csv.replace(
          hash,
          hash.replace(/^./, (c) => (c === '0' ? '1' : '0')),
        ),
      ),
    );
    expect((await verify(forged)).lines).toEqual([
      expect.stringMatching(/^verify: FAILED at position \d+ \(checkpoint\): .*signature does not match$/),
    ]);
    files.delete('forged.csv');
    expect((await verify(files.get('activities.csv')!, other.publicKey)).lines).toEqual([
      expect.stringMatching(/\(checkpoint\): .*signature does not match$/),
    ]);
    // Signed with the right key, but not the checkpoint the server keeps at that position.
    const kept = fromLedgerCheckpoint(findCheckpointToken(token)!)!;
    const unkept = { ...kept, takenAt: '2024-01-01T00:00:00.000Z' };
    const resigned = { ...unkept, signature: sign(null, esdbCheckpointMessage(unkept), privateKey).toString('base64') };
    const moved = save('unkept.csv', Buffer.from(csv.replace(token, checkpointToken(toLedgerCheckpoint(resigned)))));
    expect((await verify(moved)).lines).toEqual([
      expect.stringMatching(/\(checkpoint\): .*not the one kept at its position in \$ihl-checkpoints$/),
    ]);
    files.delete('unkept.csv');
    const sqlite = `IHL-CHECKPOINT/1:5:${'a'.repeat(64)}:2024-06-15T10:00:00.000Z:${'b'.repeat(16)}:${'c'.repeat(86)}==`;
    expect((await verify(save('sqlite.csv', Buffer.from(`# ${sqlite}\na\n`)))).lines).toEqual([
      expect.stringMatching(/FAILED at position 5 \(checkpoint\): .*embedded SQLite log's/),
    ]);
    files.delete('sqlite.csv');
  });

  it('once an event before the checkpoint is altered in the server, every file fails naming it', async () => {
    const [first] = await t.store.readAll({ maxCount: 1 });
    standIn.editStoredEvent(first!.streamId, first!.revision, { data: { was: first!.data, tampered: 1 } });
    for (const [name, file] of files) {
      const r = await verify(file);
      expect([name, r.ok]).toEqual([name, false]);
      expect(r.lines).toContainEqual(
        expect.stringMatching(new RegExp(`FAILED at position ${first!.position} \\(altered\\): stream `)),
      );
    }
  }, 120_000);
});
