import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Workbook } from 'exceljs';
import iconv from 'iconv-lite';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { finishedJob, startReportWorker } from './support/report-worker';
import type { JobWorker } from '@ihl/jobs';

const PERSON = lithuanianCode('4400101123');

/** Reads a binary answer (supertest buffers only text by itself). */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('imports over HTTP: upload, job, summary, row errors, template', () => {
  let t: LedgerTestApp;
  let redis: RedisServer;
  let worker: JobWorker;

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
    await seedProject(t);
    worker = await startReportWorker(redis.url, t.app, t.dir);
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.stop();
  });

  const upload = (
    file: Buffer,
    name: string,
    fields: Record<string, string> = {},
    who: 'partnerA' | 'partnerB' = 'partnerA',
  ) => {
    let r = request(t.base).post(url('/imports')).set(t.as(who)).attach('file', file, name);
    for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
    return r;
  };

  it('a Windows-1257 CSV with decimal commas: 202, progress then the summary, the records and their figures', async () => {
    const csv = iconv.encode(
      [
        'Rūšis;Data;Paslauga;Tikslinė grupė;Vieta;Trukmė (min.);Asmens kodas;Biudžeto kategorija;Suma;Dokumento nr.;Aprašymas',
        `service-delivered;2024.03.14;nursing;elderly;home;90;${PERSON};;;;`,
        'expenditure;2024.03.18;;;;;;equipment;1 234,57;INV-1;Keltuvų diržai ąčęėįšųūž',
        `service-delivered;2024-03-15;nursing;elderly;home;abc;${PERSON};;;;`,
      ].join('\r\n'),
      'win1257',
    );
    const started = await upload(csv, 'visits.csv').expect(202);
    expect(started.headers.location).toBe(url(`/imports/${started.body.id}`));
    const done = await finishedImport(started.headers.location!);
    expect(done).toMatchObject({
      state: 'completed',
      progress: { done: 3, total: 3 },
      summary: { rows: 3, imported: 2, alreadyPresent: 0, rejected: 1, dryRun: false },
    });
    const errors = await request(t.base).get(done.errors.csv).set(t.as('partnerA')).expect(200);
    const lines = errors.text.trim().split('\n');
    expect(lines[0]).toBe('sheet,row,column,value,rule,message');
    // The API's own rules for the field, each a line.
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^csv,4,Trukmė \(min\.\) \/ Duration \(minutes\),abc,isInt,/),
      'csv,4,Trukmė (min.) / Duration (minutes),abc,min,durationMinutes must not be less than 1',
      'csv,4,Trukmė (min.) / Duration (minutes),abc,max,durationMinutes must not be greater than 1440',
    ]);
    const xlsx = await request(t.base)
      .get(done.errors.xlsx)
      .set(t.as('partnerA'))
      .buffer(true)
      .parse(binary)
      .expect(200);
    const book = new Workbook();
    await book.xlsx.load(xlsx.body);
    expect(book.getWorksheet('Klaidos')!.getRow(2).getCell(4).value).toBe('abc');
    const budget = await request(t.base).get(url('/budget')).set(t.as('finance')).expect(200);
    expect(JSON.stringify(budget.body)).toContain('1234.57');
    // The import is recorded (who, when, which file, what came of it), and the audit trail of the
    // records it wrote names it.
    const [recorded] = await t.store.readStream(`import-${started.body.id}`);
    expect(recorded).toMatchObject({
      type: 'ImportCompleted',
      data: {
        importId: started.body.id,
        partnerId: 'visaginas-spc',
        fileSha256: createHash('sha256').update(csv).digest('hex'),
        rows: 3,
        imported: 2,
        alreadyPresent: 0,
        rejected: 1,
      },
      metadata: { actor: { subject: 'visaginas-user', role: 'partner-submitter' }, importId: started.body.id },
    });
    const audit = await request(t.base)
      .get(url(`/audit?figure=volumes&position=${recorded!.position}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(audit.body.events).toEqual([
      expect.objectContaining({ type: 'ServiceDelivered', importId: started.body.id, actor: expect.anything() }),
    ]);
    // Someone else's import is not found; an unknown one neither.
    await request(t.base).get(started.headers.location!).set(t.as('partnerB')).expect(404);
  }, 60_000);

  it('service times from a CSV and an XLSX: the minutes derived or checked as the API does, a mismatch a row error', async () => {
    const csv = [
      'Rūšis;Data;Paslauga;Tikslinė grupė;Vieta;Trukmė (min.);startTime;endTime;Asmens kodas;Darbuotojas',
      `service-delivered;2024-04-02;care;elderly;home;;08:30;10:00;${PERSON};W-times`,
      `service-delivered;2024-04-03;care;elderly;home;45;09:00;09:45;${PERSON};W-times`,
      `service-delivered;2024-04-04;care;elderly;home;60;09:00;09:45;${PERSON};W-times`,
    ].join('\n');
    const done = await finishedImport((await upload(Buffer.from(csv), 'times.csv').expect(202)).headers.location!);
    expect(done.summary).toMatchObject({ rows: 3, imported: 2, rejected: 1 });
    const errors = await request(t.base).get(done.errors.csv).set(t.as('partnerA')).expect(200);
    expect(errors.text.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^csv,4,Trukmė \(min\.\) \/ Duration \(minutes\),60,matches-times,/),
    ]);
    // The template's sheet, typed in Excel: the times as Excel keeps them (a fraction of a day).
    const book = new Workbook();
    const ws = book.addWorksheet('service-delivered');
    ws.addRow(['Data / Date', 'Paslauga / Service', 'Tikslinė grupė / Target group', 'Vieta / Setting']);
    ws.getRow(1).getCell(5).value = 'Pradžia / Start time';
    ws.getRow(1).getCell(6).value = 'Pabaiga / End time';
    ws.getRow(1).getCell(7).value = 'Asmens kodas / Personal code';
    ws.getRow(1).getCell(8).value = 'Darbuotojas / Worker';
    ws.addRow(['2024-04-05', 'care', 'elderly', 'home', 13 / 24, 14.25 / 24, PERSON, 'W-times']);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const fromXlsx = await finishedImport((await upload(xlsx, 'times.xlsx').expect(202)).headers.location!);
    expect(fromXlsx.summary).toMatchObject({ rows: 1, imported: 1, rejected: 0 });
    const written = (await t.store.readAll())
      .map((e) => e.data as { fields?: Record<string, unknown> })
      .filter((d) => d.fields?.['workerRef'] === 'W-times')
      .map((d) => [
        d.fields?.['occurredOn'],
        d.fields?.['startTime'],
        d.fields?.['endTime'],
        d.fields?.['durationMinutes'],
      ]);
    expect(written).toEqual([
      ['2024-04-02', '08:30', '10:00', 90],
      ['2024-04-03', '09:00', '09:45', 45],
      ['2024-04-05', '13:00', '14:15', 75],
    ]);
  }, 60_000);

  it('refuses what is not a .csv or .xlsx, an unknown field, a bad dryRun and another partner, naming each', async () => {
    const bad = await upload(Buffer.from('x'), 'visits.txt').expect(415);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'file', rule: 'file-type' })]);
    const dry = await upload(Buffer.from('a;b\n'), 'v.csv', { dryRun: 'maybe' }).expect(400);
    expect(dry.body.issues).toEqual([expect.objectContaining({ field: 'dryRun', rule: 'boolean' })]);
    await upload(Buffer.from('a;b\n'), 'v.csv', { partnerId: 'utena-spc' }).expect(403);
    const none = await request(t.base).post(url('/imports')).set(t.as('partnerA')).field('dryRun', 'true').expect(400);
    expect(none.body.issues).toEqual([expect.objectContaining({ field: 'file', rule: 'required' })]);
    await upload(Buffer.from('a;b\n'), 'v.csv').set(t.as('auditor')).expect(403);
  });

  it('the template: one sheet per record kind, both languages, drop-downs and an example row', async () => {
    const res = await request(t.base)
      .get(url('/imports/template.xlsx'))
      .set(t.as('partnerA'))
      .buffer(true)
      .parse(binary)
      .expect(200);
    const book = new Workbook();
    await book.xlsx.load(res.body);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Paaiškinimai',
      'service-delivered',
      'caregiver-consultation',
      'psychological-support',
      'training-held',
      'equipment-procured',
      'promotion-event',
      'expenditure',
    ]);
    const services = book.getWorksheet('service-delivered')!;
    expect(services.getRow(1).getCell(2).value).toBe('Paslauga / Service');
    expect(services.getRow(2).getCell(2).value).toBe('nursing');
    const headers = (services.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['Pradžia / Start time', 'Pabaiga / End time']));
    expect(services.getCell('B3').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"nursing,rehabilitation,care"'],
    });
    expect(book.getWorksheet('expenditure')!.getCell('A2').dataValidation?.formulae?.[0]).toContain('equipment');
  });

  it('no job queue: 503 saying so, nothing kept of the upload; direct writes still work', async () => {
    const alone = await startLedgerTestApp();
    try {
      await seedProject(alone);
      const res = await request(alone.base)
        .post(url('/imports'))
        .set(alone.as('partnerA'))
        .attach('file', Buffer.from('a;b\n'), 'v.csv')
        .expect(503);
      expect(res.body.message).toMatch(/job queue/);
      expect(res.headers['retry-after']).toBe('30');
      expect(existsSync(join(alone.dir, 'imports')) ? readdirSync(join(alone.dir, 'imports')) : []).toEqual([]);
      await request(alone.base).get(url('/imports/template.xlsx')).set(alone.as('partnerA')).expect(200);
    } finally {
      await alone.close();
    }
  });

  async function finishedImport(location: string) {
    for (let i = 0; i < 600; i++) {
      const res = await request(t.base).get(location).set(t.as('partnerA')).expect(200);
      if (res.body.state === 'completed' || res.body.state === 'failed') return res.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`import ${location} did not finish`);
  }
  void finishedJob;
});
