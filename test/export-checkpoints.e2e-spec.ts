import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { runVerify } from '../apps/cli/src/commands/verify.command';
import type { JobWorker } from '@ihl/jobs';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { finishedJob, startReportWorker } from './support/report-worker';

type Who = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB';

const binary = (res: request.Response, cb: (e: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

/**
 * Every export and report pack carries the signed checkpoint it was built on, and `ledger verify
 * --report` proves each file built on an unaltered prefix, and refuses it once that prefix changed.
 */
describe('exports and reports carry their checkpoint; ledger verify --report proves them', () => {
  let t: LedgerTestApp;
  let redis: RedisServer;
  let worker: JobWorker;
  const scratch = mkdtempSync(join(tmpdir(), 'ihl-stamped-'));
  /** The downloaded files by name, and the checkpoint the admin route took. */
  const files = new Map<string, string>();
  let checkpoint: { position: number; hash: string; token: string };
  let activityId = '';

  const get = (who: Who, path: string) => request(t.base).get(path).set(t.as(who)).buffer(true).parse(binary);
  const download = async (name: string, who: Who, path: string) => {
    const res = await get(who, path).expect(200);
    expect(res.headers['x-ledger-checkpoint']).toBe(String(checkpoint.position));
    const file = join(scratch, name);
    writeFileSync(file, res.body as Buffer);
    files.set(name, file);
    return res.body as Buffer;
  };
  const pack = async (name: string, format: 'xlsx' | 'pdf') => {
    const res = await request(t.base).post(url('/reports')).set(t.as('finance')).send({ format }).expect(202);
    const job = await finishedJob(t.base, res.headers.location!, t.as('finance'));
    expect(job).toMatchObject({ state: 'completed', failedReason: null });
    const file = join(scratch, name);
    writeFileSync(file, (await get('finance', `${res.headers.location!}/result`).expect(200)).body as Buffer);
    files.set(name, file);
  };
  const verify = (report: string, key = publicKey) =>
    runVerify({ dataDir: t.dir, eventStoreConnectionString: undefined, publicKey: key, report });

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url }, { checkpointKey: privateKey });
    await seedProject(t);
    worker = await startReportWorker(redis.url, t.app, t.dir);
    await request(t.base).put(url('/allocations/visaginas-spc/staff')).set(t.as('finance')).send({ amount: '900.00' });
    for (const [day, code] of [
      ['2024-03-14', '4400101123'],
      ['2024-04-02', '4500202123'],
    ] as const) {
      const res = await request(t.base)
        .post(url('/activities/service-deliveries'))
        .set(t.as('partnerA'))
        .send({
          occurredOn: day,
          service: 'nursing',
          targetGroup: 'elderly',
          setting: 'home',
          durationMinutes: 60,
          recipient: { personalCode: lithuanianCode(code), profile: { sex: 'female', birthYear: 1940 } },
        })
        .expect(201);
      activityId = res.body.activityId;
    }
    await request(t.base)
      .post(url('/expenditures'))
      .set(t.as('partnerA'))
      .send({
        categoryId: 'staff',
        amount: '120.50',
        occurredOn: '2024-05-10',
        documentRef: 'INV-1',
        description: 'cost',
      })
      .expect(201);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('the admin route signs the head and answers the checkpoint with its token', async () => {
    const res = await request(t.base).post('/api/v1/admin/checkpoints').set(t.as('admin')).send({}).expect(201);
    const head = await t.store.headPosition();
    expect(res.body).toMatchObject({ position: head, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(res.body.token).toMatch(new RegExp(`^IHL-CHECKPOINT/1:${head}:${res.body.hash}:`));
    checkpoint = res.body;
    const listed = await request(t.base).get('/api/v1/admin/checkpoints').set(t.as('auditor')).expect(200);
    expect(listed.body).toEqual({ checkpoints: [res.body] });
    // The head is signed already: the same checkpoint again.
    expect((await request(t.base).post('/api/v1/admin/checkpoints').set(t.as('admin')).expect(201)).body).toEqual(
      res.body,
    );
    // A write after it: the files built later carry it too (their tail is proven by the chain alone).
    await request(t.base)
      .post(url(`/activities/${activityId}/verify`))
      .set(t.as('auditor'))
      .send({ note: 'matches the log' })
      .expect(201);
  });

  it('every format carries it: ESF+ JSON and CSV, list CSV/XLSX, budget, audit, history, IATI XML, report packs', async () => {
    const esf = JSON.parse((await download('esf.json', 'auditor', url('/exports/esf-indicators'))).toString('utf8'));
    expect(esf.ledgerCheckpoint).toEqual({ position: esf.position, token: expect.stringContaining(checkpoint.token) });
    const csv = (await download('esf.csv', 'auditor', url('/exports/esf-indicators?format=csv'))).toString('utf8');
    // A `#` first line: readers that skip comments read the same table as before.
    expect(csv.split('\n')[0]).toBe(`# IHL-POSITION/1:${esf.position} ${checkpoint.token}`);
    expect(parse(csv, { comment: '#' })[0]).toEqual(expect.arrayContaining(['period', 'code', 'indicator']));
    const excel = await download('esf-excel.csv', 'auditor', url('/exports/esf-indicators?format=csv&dialect=excel'));
    expect(excel.subarray(0, 5).toString('latin1')).toBe('\xEF\xBB\xBF# ');
    await download('activities.csv', 'auditor', url('/activities?format=csv'));
    await download('activities.xlsx', 'auditor', url('/activities?format=xlsx'));
    await download('register.xlsx', 'finance', url('/expenditure-register?format=xlsx'));
    await download('budget.csv', 'finance', url('/budget?format=csv'));
    await download('audit.csv', 'auditor', url('/audit?figure=persons-reached&format=csv'));
    await download('audit.xlsx', 'auditor', url('/audit?figure=persons-reached&format=xlsx'));
    await download('history.csv', 'auditor', url(`/activities/${activityId}?format=csv`));
    await download('iati.xml', 'auditor', url('/exports/iati'));
    await pack('pack.xlsx', 'xlsx');
    await pack('pack.pdf', 'pdf');
    const book = new Workbook();
    await book.xlsx.readFile(files.get('activities.xlsx')!);
    expect(book.keywords).toContain(checkpoint.token);
    expect(book.getWorksheet('Patikra')!.getCell('B5').value).toBe(book.keywords);
    // The PDF's cover prints it (wrapped), its Keywords hold it whole.
    const cover = execFileSync('pdftotext', ['-f', '1', '-l', '1', files.get('pack.pdf')!, '-'], { encoding: 'utf8' });
    expect(cover.replace(/\s+/g, '')).toContain(checkpoint.token);
    expect(execFileSync('pdfinfo', [files.get('pack.pdf')!], { encoding: 'utf8' })).toContain(checkpoint.token);
    for (const [name, file] of files)
      expect([name, verify(file)]).toEqual([name, expect.objectContaining({ ok: true })]);
  }, 120_000);

  /** A copy of a file whose token's chain hash has one hex digit changed (in XLSX, its keywords and sheet). */
  const forged = async (name: string, file: string): Promise<string> => {
    const { hash } = checkpoint;
    const fake = hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const copy = join(scratch, `forged-${name}`);
    if (name.endsWith('.xlsx')) {
      const book = new Workbook();
      await book.xlsx.readFile(file);
      book.keywords = book.keywords.replace(hash, fake);
      const cell = book.getWorksheet('Patikra')!.getCell('B5');
      cell.value = String(cell.value).replace(hash, fake);
      await book.xlsx.writeFile(copy);
    } else {
      // PDF too: its Info dictionary is plain text (same length, so its offsets still hold).
      const raw = readFileSync(file, 'latin1');
      expect([name, raw.includes(hash)]).toEqual([name, true]);
      writeFileSync(copy, raw.replaceAll(hash, fake), 'latin1');
    }
    return copy;
  };

  it('refuses a forged token in every format, one another key signed, and a file that carries none', async () => {
    for (const [name, file] of files) {
      const r = verify(await forged(name, file));
      expect([name, r.ok]).toEqual([name, false]);
      expect(r.lines).toContainEqual(expect.stringMatching(/FAILED at position \d+ \(checkpoint\)/));
    }
    expect(verify(files.get('budget.csv')!, other.publicKey).lines).toContainEqual(
      expect.stringMatching(/\(checkpoint\): .*signature does not match/),
    );
    const early = join(scratch, 'early.csv');
    writeFileSync(
      early,
      readFileSync(files.get('budget.csv')!, 'utf8').replace(/IHL-POSITION\/1:\d+/, 'IHL-POSITION/1:1'),
    );
    expect(verify(early).lines).toContainEqual(expect.stringMatching(/built at position 1, before its checkpoint/));
    const csv = join(scratch, 'bare.csv');
    writeFileSync(csv, readFileSync(files.get('esf.csv')!, 'utf8').replace(/^# .*\n/, ''));
    expect(verify(csv)).toMatchObject({ ok: false, lines: [expect.stringContaining('carries no ledger checkpoint')] });
  });

  it('once the log is altered before their position, every file fails, naming the altered event', () => {
    const db = new Database(join(t.dir, 'events.sqlite'));
    db.prepare(`update events set data = json_set(data, '$.tampered', 1) where position = 3`).run();
    db.close();
    for (const [name, file] of files) {
      const r = verify(file);
      expect([name, r.ok]).toEqual([name, false]);
      expect(r.lines).toContainEqual(expect.stringMatching(/FAILED at position 3 \(altered\)/));
    }
  });
});

describe('the admin checkpoint route without a signing key', () => {
  it('answers 503 naming LEDGER_CHECKPOINT_KEY_FILE, and takes nothing', async () => {
    const t = await startLedgerTestApp();
    try {
      await seedProject(t);
      const res = await request(t.base).post('/api/v1/admin/checkpoints').set(t.as('admin')).expect(503);
      expect(res.body.message).toContain('LEDGER_CHECKPOINT_KEY_FILE');
      expect(await t.store.checkpointAtOrBelow(Number.MAX_SAFE_INTEGER)).toBeNull();
    } finally {
      await t.close();
    }
  });
});
