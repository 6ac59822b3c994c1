// The XLSX report workbook as a job, against a real redis-server and the worker in this process:
// the file is parsed back with exceljs and its figures compared with the JSON endpoints' at the
// same position; who may ask for a report, and download it.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Workbook, type Worksheet } from 'exceljs';
import request from 'supertest';
import type { JobWorker } from '@ihl/jobs';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { finishedJob, startReportWorker } from './support/report-worker';

type Who = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB';

/** A buffered binary body: supertest leaves unknown types unparsed otherwise. */
const binary = (res: request.Response, cb: (e: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Every cell's value by sheet, row and column (the cover's generation time left out). */
function cellValues(book: Workbook): Record<string, unknown[][]> {
  const out: Record<string, unknown[][]> = {};
  for (const ws of book.worksheets) {
    const rows: unknown[][] = [];
    ws.eachRow((row, n) => {
      if (ws.name === 'Informacija' && n === 6) return;
      rows.push(Array.isArray(row.values) ? row.values.slice(1) : []);
    });
    out[ws.name] = rows;
  }
  return out;
}

const column = (ws: Worksheet, header: string) => {
  const headers = (ws.getRow(1).values as unknown[]).slice(1);
  return headers.indexOf(header) + 1;
};

describe('report workbook (XLSX) as a job', () => {
  let t: LedgerTestApp;
  let redis: RedisServer;
  let worker: JobWorker;
  let last = 0;
  const as = (who: Who) => t.as(who);
  const report = (who: Who, body: object) => request(t.base).post(url('/reports')).set(as(who)).send(body);
  const download = (who: Who, location: string) =>
    request(t.base).get(`${location}/result`).set(as(who)).buffer(true).parse(binary);
  const built = async (who: Who, body: object) => {
    const res = await report(who, body).expect(202);
    const job = await finishedJob(t.base, res.headers.location!, as(who));
    expect(job).toMatchObject({ state: 'completed', name: 'report-workbook', failedReason: null });
    return { location: res.headers.location!, job };
  };
  const parsed = async (who: Who, location: string) => {
    const res = await download(who, location).expect(200);
    const book = new Workbook();
    await book.xlsx.load(res.body);
    return { res, book };
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
    await seedProject(t);
    worker = await startReportWorker(redis.url, t.app, t.dir);
    await request(t.base)
      .put(url('/allocations/visaginas-spc/staff'))
      .set(as('finance'))
      .send({ amount: '5000.00' })
      .expect(201);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(as('partnerA'))
      .send({
        occurredOn: '2024-04-10',
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 90,
        recipient: { personalCode: lithuanianCode('3400101123') },
        workerRef: 'nurse-07',
      })
      .expect(201);
    for (const [who, category, amount, ref] of [
      ['partnerA', 'staff', '1234.56', 'INV-A'],
      ['partnerB', 'equipment', '99.90', 'INV-B'],
    ] as const) {
      const res = await request(t.base)
        .post(url('/expenditures'))
        .set(as(who))
        .send({ categoryId: category, amount, occurredOn: '2024-05-10', documentRef: ref, description: 'cost' })
        .expect(201);
      last = res.body.position;
    }
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.stop();
  });

  it('builds one workbook of typed sheets whose figures are the JSON answers at its position', async () => {
    const { location, job } = await built('finance', { format: 'xlsx' });
    expect(job.result).toMatchObject({ position: last });
    const { res, book } = await parsed('finance', location);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="report-[0-9a-f-]+-at-\d+\.xlsx"$/);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Informacija',
      'Pažanga',
      'Apimtys',
      'Biudžetas',
      'ESF+ rodikliai',
      'Išlaidų registras',
    ]);
    const info = book.getWorksheet('Informacija')!;
    expect(info.getCell('B2').value).toBe('07-003-P-0001');
    expect(info.getCell('B3').value).toBe(last);
    expect(info.getCell('B6').value).toBeInstanceOf(Date);
    for (const ws of book.worksheets) expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const budgetJson = (
      await request(t.base)
        .get(url(`/budget?asOf=${last}`))
        .set(as('finance'))
        .expect(200)
    ).body;
    const budget = book.getWorksheet('Biudžetas')!;
    expect(budget.getCell('E1').value).toBe('Skirta / Allocated');
    const total = budget.getRows(2, budget.rowCount - 1)!.find((r) => r.getCell(1).value === 'total')!;
    expect(total.getCell(5).value).toBe(Number(budgetJson.total.allocated));
    expect(total.getCell(6).value).toBe(Number(budgetJson.total.declared));
    expect(total.getCell(6).numFmt).toBe('#,##0.00 "€"');

    const progressJson = (
      await request(t.base)
        .get(url(`/progress?asOf=${last}`))
        .set(as('finance'))
        .expect(200)
    ).body;
    expect(book.getWorksheet('Pažanga')!.getRow(2).values).toEqual([
      undefined,
      'total',
      '',
      progressJson.personsReached,
    ]);

    const esfJson = (
      await request(t.base)
        .get(url(`/exports/esf-indicators?asOf=${last}`))
        .set(as('finance'))
    ).body;
    const esf = book.getWorksheet('ESF+ rodikliai')!;
    expect(esf.getRow(2).getCell(7).value).toBe(esfJson.rows[0].value);
    const withDates = esf.getRows(2, esf.rowCount - 1)!.find((r) => r.getCell(1).value !== 'all')!;
    expect(withDates.getCell(2).value).toBeInstanceOf(Date);

    const register = book.getWorksheet('Išlaidų registras')!;
    expect(register.rowCount).toBe(3);
    const amounts = register.getRows(2, 2)!.map((r) => r.getCell(column(register, 'Suma / Amount')).value);
    expect(amounts.sort()).toEqual([1234.56, 99.9]);
    const date = register.getRow(2).getCell(column(register, 'Data / Date'));
    expect(date.value).toEqual(new Date('2024-05-10T00:00:00Z'));
    expect(date.numFmt).toBe('yyyy-mm-dd');

    const file = join(t.dir, 'reports', `${job.id}.xlsx`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is reproducible: the same position gives the same cells, whatever was written since', async () => {
    const first = await built('auditor', { format: 'xlsx', asOf: String(last) });
    await request(t.base)
      .post(url('/expenditures'))
      .set(as('partnerA'))
      .send({
        categoryId: 'staff',
        amount: '1.00',
        occurredOn: '2024-05-11',
        documentRef: 'INV-C',
        description: 'later',
      })
      .expect(201);
    const again = await built('auditor', { format: 'xlsx', asOf: String(last) });
    const a = cellValues((await parsed('auditor', first.location)).book);
    const b = cellValues((await parsed('auditor', again.location)).book);
    expect(b).toEqual(a);
    expect(a['Išlaidų registras']).toHaveLength(3);
  });

  it("a partner's report is its own, its budget lines and register included; others' are refused", async () => {
    const { location } = await built('partnerA', { format: 'xlsx' });
    const { book } = await parsed('partnerA', location);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Informacija',
      'Pažanga',
      'Apimtys',
      'Biudžetas',
      'ESF+ rodikliai',
      'Išlaidų registras',
    ]);
    const budget = book.getWorksheet('Biudžetas')!;
    const partners = budget.getRows(2, budget.rowCount - 1)!.map((r) => r.getCell(2).value);
    expect(partners).toContain('visaginas-spc');
    expect(partners.filter((p) => p !== '' && p !== 'visaginas-spc')).toEqual([]);
    const register = book.getWorksheet('Išlaidų registras')!;
    const refs = register.getRows(2, register.rowCount - 1)!.map((r) => r.getCell(5).value);
    expect(refs.sort()).toEqual(['INV-A', 'INV-C']);
    expect(book.getWorksheet('Informacija')!.getCell('B5').value).toBe('visaginas-spc');
    const own = (await request(t.base).get(url(`/progress`)).set(as('partnerA')).expect(200)).body;
    expect(book.getWorksheet('Pažanga')!.getRow(2).getCell(3).value).toBe(own.personsReached);
    await report('partnerA', { format: 'xlsx', partnerId: 'utena-spc' }).expect(403);
    await download('partnerB', location).expect(404);
    await download('finance', location).expect(404);
    await download('admin', location).expect(200);
  });

  it('answers 409 for the file of a report not built yet, then the file', async () => {
    await worker.worker.pause();
    const res = await report('finance', { format: 'xlsx' }).expect(202);
    await download('finance', res.headers.location!).expect(409);
    worker.worker.resume();
    await finishedJob(t.base, res.headers.location!, as('finance'));
    await download('finance', res.headers.location!).expect(200);
  });

  it('answers 503 naming the job queue when no Redis is configured; the figures still answer', async () => {
    const bare = await startLedgerTestApp();
    try {
      await seedProject(bare);
      const res = await request(bare.base).post(url('/reports')).set(bare.as('finance')).send({ format: 'xlsx' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body.message).toMatch(/job queue/);
      await request(bare.base).get(url('/budget')).set(bare.as('finance')).expect(200);
    } finally {
      await bare.close();
    }
  });

  it('validates the request and names the field', async () => {
    const pdf = await report('finance', { format: 'docx' }).expect(400);
    expect(JSON.stringify(pdf.body)).toContain('format');
    const asOf = await report('finance', { format: 'xlsx', asOf: 'yesterday' }).expect(400);
    expect(JSON.stringify(asOf.body)).toContain('asOf');
    await report('finance', { format: 'xlsx', partnerId: 'nowhere-spc' }).expect(422);
    await report('finance', { format: 'xlsx', extra: 1 }).expect(400);
  });

  it('fixes the position when asked: a report built later shows the ledger as it was then', async () => {
    await worker.worker.pause();
    const res = await report('finance', { format: 'xlsx' }).expect(202);
    const head = (await request(t.base).get(url('/progress')).set(as('finance')).expect(200)).body.position;
    await request(t.base)
      .post(url('/expenditures'))
      .set(as('partnerB'))
      .send({
        categoryId: 'equipment',
        amount: '7.00',
        occurredOn: '2024-05-12',
        documentRef: 'INV-L',
        description: 'x',
      })
      .expect(201);
    worker.worker.resume();
    const job = await finishedJob(t.base, res.headers.location!, as('finance'));
    expect(job.result).toMatchObject({ position: head });
    const { book } = await parsed('finance', res.headers.location!);
    const register = book.getWorksheet('Išlaidų registras')!;
    const refs = register.getRows(2, register.rowCount - 1)!.map((r) => r.getCell(5).value);
    expect(refs).not.toContain('INV-L');
  });

  it('writes every amount to the cent: sums of cents, not of doubles, and large amounts', async () => {
    await request(t.base)
      .put(url('/allocations/utena-spc/staff'))
      .set(as('finance'))
      .send({ amount: '12345678.91' })
      .expect(201);
    for (const amount of ['0.10', '0.20'])
      await request(t.base)
        .post(url('/expenditures'))
        .set(as('partnerB'))
        .send({ categoryId: 'staff', amount, occurredOn: '2024-06-01', documentRef: `INV-${amount}`, description: 'x' })
        .expect(201);
    const { job, location } = await built('finance', { format: 'xlsx', partnerId: 'utena-spc' });
    const { book } = await parsed('finance', location);
    const budget = book.getWorksheet('Biudžetas')!;
    const line = budget.getRows(2, budget.rowCount - 1)!.find((r) => r.getCell(3).value === 'staff')!;
    expect(line.getCell(5).value).toBe(12345678.91);
    expect(line.getCell(6).value).toBe(0.3);
    expect(line.getCell(10).value).toBe(12345678.61);
    // The cell's text in the file, as Excel reads it: the decimal, never 0.30000000000000004.
    const xml = execFileSync('unzip', ['-p', join(t.dir, 'reports', `${job.id}.xlsx`), 'xl/worksheets/sheet4.xml'], {
      encoding: 'utf8',
    });
    const values = [...xml.matchAll(/<v>([^<]*)<\/v>/g)].map((m) => m[1]);
    expect(values).toEqual(expect.arrayContaining(['12345678.91', '0.3', '12345678.61']));
    expect(values.filter((v) => /\.\d{3,}/.test(v!))).toEqual([]);
  });
});
