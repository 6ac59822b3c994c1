// The PDF report pack as a job, against a real redis-server and the worker in this process: the
// file is read back with poppler (pdfinfo, pdftotext, pdftoppm) for its pages, its text and its
// charts; the same position gives the same bytes; a partner's pack holds its own figures only.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
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

const scratch = mkdtempSync(join(tmpdir(), 'ihl-pdf-'));
let files = 0;
/** The PDF written to a file for poppler. */
function saved(pdf: Buffer): string {
  const file = join(scratch, `pack-${++files}.pdf`);
  writeFileSync(file, pdf);
  return file;
}
const pages = (file: string) =>
  Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
/** The text, no-break spaces as spaces, so `1 234,56 €` reads as written. */
const text = (file: string, page?: number) =>
  execFileSync('pdftotext', [...(page ? ['-f', `${page}`, '-l', `${page}`] : []), '-layout', file, '-'], {
    encoding: 'utf8',
  }).replace(/\u00a0/g, ' ');

/** Share of the page's pixels that are not white (a grey PGM from pdftoppm). */
function inked(file: string, page: number): number {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', `${page}`, '-l', `${page}`, file]);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 200) dark++;
  return dark / pixels.length;
}

describe('report pack (PDF) as a job', () => {
  let t: LedgerTestApp;
  let redis: RedisServer;
  let worker: JobWorker;
  let last = 0;
  let empty = 0;
  const as = (who: Who) => t.as(who);
  const report = (who: Who, body: object) => request(t.base).post(url('/reports')).set(as(who)).send(body);
  const pack = async (who: Who, body: object) => {
    const res = await report(who, { format: 'pdf', ...body }).expect(202);
    expect(res.body.name).toBe('report-pdf');
    const job = await finishedJob(t.base, res.headers.location!, as(who));
    expect(job).toMatchObject({ state: 'completed', name: 'report-pdf', failedReason: null });
    const file = await request(t.base).get(`${res.headers.location!}/result`).set(as(who)).buffer(true).parse(binary);
    expect(file.status).toBe(200);
    return { job, res: file, pdf: file.body as Buffer, location: res.headers.location! };
  };

  const serve = (who: Who, day: string, targetGroup: string, code: string) =>
    request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(as(who))
      .send({
        occurredOn: day,
        service: 'nursing',
        targetGroup,
        setting: 'home',
        durationMinutes: 90,
        recipient: { personalCode: lithuanianCode(code), profile: { sex: 'female', birthYear: 1940 } },
        workerRef: 'nurse-07',
      })
      .expect(201);

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
    await seedProject(t);
    worker = await startReportWorker(redis.url, t.app, t.dir);
    empty = (await request(t.base).get(url('/progress')).set(as('finance')).expect(200)).body.position;
    for (const [partner, category, amount] of [
      ['visaginas-spc', 'staff', '1234567.89'],
      ['utena-spc', 'equipment', '5000.00'],
    ] as const)
      await request(t.base)
        .put(url(`/allocations/${partner}/${category}`))
        .set(as('finance'))
        .send({ amount })
        .expect(201);
    await serve('partnerA', '2024-03-14', 'elderly', '4400101123');
    await serve('partnerA', '2024-04-02', 'disabled-adult', '4500202123');
    await serve('partnerB', '2024-04-20', 'elderly', '4600303123');
    for (const [who, category, amount, ref] of [
      ['partnerA', 'staff', '2345.67', 'INV-A'],
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
    rmSync(scratch, { recursive: true, force: true });
  });

  it('builds an A4 pack: cover at the ledger position, figures in Lithuanian formats, charts, page numbers', async () => {
    const { job, res, pdf } = await pack('finance', {});
    expect(job.result).toMatchObject({ position: last, file: `${job.id}.pdf` });
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="report-[0-9a-f-]+-at-\d+\.pdf"$/);
    const file = saved(pdf);
    const n = pages(file);
    expect(n).toBeGreaterThanOrEqual(5);
    expect(job.result.pages).toBe(n);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);

    const esf = (
      await request(t.base)
        .get(url(`/exports/esf-indicators?asOf=${last}`))
        .set(as('finance'))
    ).body;
    const at = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Vilnius',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(new Date(esf.recordedAt));
    const cover = text(file, 1);
    expect(cover).toContain(`Duomenys pagal žurnalo poziciją ${last}, įrašytą ${at}`);
    expect(cover).toContain('Visa agentūra');
    expect(cover).toContain('Integralios pagalbos teikimas ir plėtra Lietuvos savivaldybėse');

    const all = text(file);
    expect(all).toMatch(/Pasiekta asmenų: 3 iš 4 018 \(0,1 %\)/);
    expect(all).toContain('1 234 567,89 €');
    expect(all).toContain('1 239 567,89 €'); // allocated in total
    expect(all).toContain('2 445,57 €'); // declared in total
    expect(all).toContain('43 940 212,00 €');
    expect(all).toMatch(/Senyvo amžiaus asmenys\s+2/);
    expect(all).toContain('Naujai įtraukti dalyviai pagal ataskaitinį laikotarpį');
    for (const word of ['Biudžetas', 'Veiklos apimtys', 'Įranga', 'Tinkama', 'ESF+ rodikliai', 'Tikslinė grupė'])
      expect(all).toContain(word);
    expect(all).toContain(`Puslapis 1 iš ${n}`);
    expect(all).toContain(`Puslapis ${n} iš ${n}`);
    // The charts' own labels, drawn from ECharts' SVG in the bundled font.
    for (const title of ['Pasiekti asmenys (kaupiamai) ir trajektorija', 'Biudžetas pagal kategorijas, EUR'])
      expect(all).toContain(title);

    // A chart page carries drawing, not only text: compare its ink with the text-only cover.
    expect(inked(file, 2)).toBeGreaterThan(inked(file, 1) * 2);
    mkdirSync('.tmp/screens', { recursive: true });
    for (const page of [1, 2, 3, 4, 5])
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '70',
        '-f',
        `${page}`,
        '-l',
        `${page}`,
        '-singlefile',
        file,
        `.tmp/screens/report-pdf-p${page}`,
      ]);
  });

  it('is reproducible: the same position gives the same bytes, whatever was written since', async () => {
    const first = await pack('auditor', { asOf: String(last) });
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
    const again = await pack('auditor', { asOf: String(last) });
    expect(again.job.id).not.toBe(first.job.id);
    expect(again.pdf.equals(first.pdf)).toBe(true);
    const head = await pack('auditor', {});
    expect(head.pdf.equals(first.pdf)).toBe(false);
  });

  it("a partner's pack holds its own figures only", async () => {
    const { pdf, location } = await pack('partnerB', {});
    const file = saved(pdf);
    const all = text(file);
    expect(text(file, 1)).toContain('Partneris: Utenos rajono socialinių paslaugų centras (utena-spc)');
    expect(all).toMatch(/Pasiekta asmenų: 1 iš 4 018/);
    expect(all).toContain('5 000,00 €');
    expect(all).toContain('99,90 €');
    expect(all).not.toContain('1 234 567,89 €');
    expect(all).not.toContain('2 345,67 €');
    expect(all).not.toContain('visaginas-spc');
    await request(t.base).get(`${location}/result`).set(as('partnerA')).expect(404);
    await report('partnerB', { format: 'pdf', partnerId: 'visaginas-spc' }).expect(403);
  });

  it('builds the pack of a project with nothing recorded yet: zeros, empty charts, no error', async () => {
    const { job, pdf } = await pack('finance', { asOf: String(empty) });
    expect(job.result).toMatchObject({ position: empty });
    const all = text(saved(pdf));
    expect(all).toMatch(/Pasiekta asmenų: 0 iš 4 018 \(0 %\)/);
    expect(all).toContain('43 940 212,00 €');
  });

  it('refuses an unknown format, naming the field', async () => {
    const res = await report('finance', { format: 'docx' }).expect(400);
    expect(JSON.stringify(res.body)).toContain('format');
  });
});
