import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Workbook, stream } from 'exceljs';
import request from 'supertest';
import type { JobWorker } from '@ihl/jobs';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';
import { dumpRedis, startRedisServer, type RedisServer } from './support/redis-server';
import { finishedImport, startReportWorker } from './support/report-worker';
import { WorkerChild, until } from './support/worker-child';

const ROWS = 10_000;
const SERVICES = 2_000;
/** Persons the service rows are for (each visited several times). */
const PERSONS = Array.from({ length: 50 }, (_, i) => lithuanianCode(`4${40 + i}0101123`));

/** The bad rows: 3 in every 100, each breaking exactly one rule (three kinds of refusal). */
function badness(i: number): 'attendees' | 'date' | 'audience' | null {
  const r = i % 100;
  return r === 13 ? 'attendees' : r === 47 ? 'date' : r === 81 ? 'audience' : null;
}

interface Expected {
  readonly sheet: string;
  readonly row: number;
  readonly rule: string;
}

/**
 * A workbook of ROWS rows, streamed to disk: SERVICES home visits (personal codes, a decimal-comma
 * free sheet), then promotion events; 3 % of all rows are bad. Returns the errors it must give.
 */
async function writeWorkbook(file: string, titlePrefix: string): Promise<Expected[]> {
  const book = new stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
  const expected: Expected[] = [];
  const services = book.addWorksheet('service-delivered');
  services.addRow(['Data / Date', 'Paslauga', 'Tikslinė grupė', 'Vieta', 'Trukmė (min.)', 'Asmens kodas']).commit();
  const events = book.addWorksheet('promotion-event');
  events.addRow(['Data', 'Auditorija', 'Pavadinimas', 'Lankytojų']).commit();
  for (let i = 0; i < ROWS; i++) {
    const bad = badness(i);
    const day = `2024-0${1 + (i % 5)}-${String(1 + (i % 28)).padStart(2, '0')}`;
    if (i < SERVICES) {
      const minutes = bad ? 0 : 30 + (i % 90);
      services
        .addRow([new Date(`${day}T00:00:00Z`), 'nursing', 'elderly', 'home', minutes, Number(PERSONS[i % 50])])
        .commit();
      if (bad) expected.push({ sheet: 'service-delivered', row: i + 2, rule: 'min' });
      continue;
    }
    const date = bad === 'date' ? '2024.02.30' : day.replace(/-/g, '.');
    const audience = bad === 'audience' ? 'everyone' : 'community';
    const attendees = bad === 'attendees' ? 0 : 1 + (i % 50);
    events.addRow([date, audience, `${titlePrefix} ${i}`, attendees]).commit();
    if (bad)
      expected.push({
        sheet: 'promotion-event',
        row: i - SERVICES + 2,
        rule: bad === 'attendees' ? 'min' : bad === 'audience' ? 'isIn' : 'iso-date',
      });
  }
  services.commit();
  events.commit();
  await book.commit();
  return expected;
}

describe('imports at volume, with a real redis-server and worker', () => {
  let t: LedgerTestApp;
  let redis: RedisServer;
  let worker: JobWorker | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'ihl-import-volume-'));
  const workbook = join(dir, 'visits.xlsx');
  let expected: Expected[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
    await seedProject(t);
    expected = await writeWorkbook(workbook, 'Renginys');
    worker = await startReportWorker(redis.url, t.app, t.dir);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const importFile = async (file: string) => {
    const res = await request(t.base).post(url('/imports')).set(t.as('partnerA')).attach('file', file).expect(202);
    return finishedImport(t.base, res.headers.location!, t.as('partnerA'));
  };
  const recordStreams = async () => {
    const streams = new Map<string, number>();
    for (let after = 0; ;) {
      const page = await t.store.readAll({ after, maxCount: 5000 });
      if (page.length === 0) break;
      for (const e of page)
        if (e.streamId.startsWith('activity-')) streams.set(e.streamId, (streams.get(e.streamId) ?? 0) + 1);
      after = page[page.length - 1]!.position;
    }
    return streams;
  };

  it('10,000 XLSX rows, 3 % bad: the exact summary, and the row errors as CSV and XLSX', async () => {
    expect(expected).toHaveLength(300);
    const done = await importFile(workbook);
    expect(done).toMatchObject({
      state: 'completed',
      progress: { done: ROWS, total: ROWS },
      summary: { rows: ROWS, imported: 9_700, alreadyPresent: 0, rejected: 300, format: 'xlsx' },
    });
    const streams = await recordStreams();
    expect(streams.size).toBe(9_700);
    const csv = await request(t.base).get(done.errors.csv).set(t.as('partnerA')).expect(200);
    const lines = parse(csv.text, { columns: true }) as Record<string, string>[];
    const fromCsv = lines.map((l) => ({ sheet: l.sheet, row: Number(l.row), rule: l.rule }));
    const byPlace = (a: Expected, b: Expected) => a.sheet.localeCompare(b.sheet) || a.row - b.row;
    expect([...fromCsv].sort(byPlace)).toEqual([...expected].sort(byPlace));
    expect(csv.text).not.toMatch(/\d{11}/);
    const xlsx = await request(t.base)
      .get(done.errors.xlsx)
      .set(t.as('partnerA'))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new Workbook();
    await book.xlsx.load(xlsx.body);
    const sheet = book.getWorksheet('Klaidos')!;
    const fromXlsx: Expected[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1)
        fromXlsx.push({
          sheet: String(row.getCell(1).value),
          row: Number(row.getCell(2).value),
          rule: String(row.getCell(5).value),
        });
    });
    expect(fromXlsx).toEqual(fromCsv);
  }, 600_000);

  it('a re-import adds nothing: everything already present, the same rows refused', async () => {
    const before = await recordStreams();
    const done = await importFile(workbook);
    expect(done.summary).toMatchObject({ rows: ROWS, imported: 0, alreadyPresent: 9_700, rejected: 300 });
    expect(await recordStreams()).toEqual(before);
  }, 600_000);

  it('leaves no personal code anywhere in Redis, and no upload on disk', async () => {
    const everything = await dumpRedis(redis.url);
    expect(everything).toContain('import-file');
    for (const code of PERSONS) expect(everything).not.toContain(code);
    const left = readdirSync(join(t.dir, 'imports')).filter(
      (f) => !/\.(errors\.csv|errors\.xlsx|summary\.json)$/.test(f),
    );
    expect(left).toEqual([]);
  }, 60_000);

  it('a worker killed mid-import: the restarted worker completes it, nothing twice', async () => {
    await worker?.close();
    worker = null;
    const file = join(dir, 'events.xlsx');
    const book = new stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
    const events = book.addWorksheet('promotion-event');
    events.addRow(['Date', 'Audience', 'Title', 'Attendees']).commit();
    const N = 6_000;
    for (let i = 0; i < N; i++) events.addRow(['2024-04-02', 'workers', `Mokymai ${i}`, 5]).commit();
    events.commit();
    await book.commit();
    const child = new WorkerChild(t.dir, redis.url);
    await child.start();
    const started = await request(t.base).post(url('/imports')).set(t.as('partnerA')).attach('file', file).expect(202);
    const location = started.headers.location!;
    await until(
      async () => {
        const p = (await request(t.base).get(location).set(t.as('partnerA'))).body.progress;
        return p !== null && p.done > 0 && p.done < N;
      },
      () => `no progress: ${child.output}`,
    );
    await child.kill();
    await child.start();
    const done = await finishedImport(t.base, location, t.as('partnerA'));
    await child.kill('SIGTERM');
    expect({ ...done, output: done.state === 'completed' ? '' : child.output }).toMatchObject({
      state: 'completed',
      summary: { rows: N, rejected: 0 },
      output: '',
    });
    expect(done.summary.imported + done.summary.alreadyPresent).toBe(N);
    // Every row once: N streams written by this import, each a single event.
    const mine = new Map<string, number>();
    for (let after = 0; ;) {
      const page = await t.store.readAll({ after, maxCount: 5000 });
      if (page.length === 0) break;
      for (const e of page)
        if (e.metadata.importId === started.body.id && e.streamId.startsWith('activity-'))
          mine.set(e.streamId, (mine.get(e.streamId) ?? 0) + 1);
      after = page[page.length - 1]!.position;
    }
    expect(mine.size).toBe(N);
    expect([...mine.values()].every((n) => n === 1)).toBe(true);
    expect(await t.store.readStream(`import-${started.body.id}`)).toHaveLength(1);
  }, 600_000);
});
