// The Excel dialect of every CSV export (`?format=csv&dialect=excel`): `;`, decimal comma, BOM,
// CRLF; the standard dialect is the same bytes with or without `dialect=standard`.
import request from 'supertest';
import type { JobWorker } from '@ihl/jobs';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { finishedImport, startReportWorker } from './support/report-worker';

describe('CSV dialects over HTTP', () => {
  let t: LedgerTestApp;
  let expenditureId = '';
  let last = 0;
  const get = (who: 'finance' | 'auditor' | 'partnerA', path: string) =>
    request(t.base).get(url(path)).set(t.as(who)).buffer(true);

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    await request(t.base)
      .put(url('/allocations/utena-spc/equipment'))
      .set(t.as('finance'))
      .send({ amount: '250.50' })
      .expect(201);
    const res = await request(t.base)
      .post(url('/expenditures'))
      .set(t.as('partnerA'))
      .send({
        categoryId: 'staff',
        amount: '100.10',
        occurredOn: '2024-05-10',
        documentRef: 'INV-1',
        description: '=1+1',
      })
      .expect(201);
    expenditureId = res.body.expenditureId;
    last = res.body.position;
  }, 60_000);
  afterAll(() => t?.close());

  it('standard is unchanged; excel has BOM, `;`, CRLF and decimal commas', async () => {
    const plain = await get('finance', `/budget?format=csv&position=${last}`).expect(200);
    const standard = await get('finance', `/budget?format=csv&dialect=standard&position=${last}`).expect(200);
    expect(standard.text).toBe(plain.text);
    expect(plain.text).toContain(
      'line,utena-spc,equipment,,250.50,0.00,0.00,0.00,0.00,250.50,false,0.00,0.00,0.00,0.00\n',
    );
    const excel = await get('finance', `/budget?format=csv&dialect=excel&position=${last}`).expect(200);
    expect(excel.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(excel.text.charCodeAt(0)).toBe(0xfeff);
    const lines = excel.text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'row;partner;category;month;allocated;declared;eligible;ineligible;pending;remaining;over_spent;claimed;accepted;reimbursed;outstanding',
    );
    expect(lines).toContain('line;utena-spc;equipment;;250,50;0,00;0,00;0,00;0,00;250,50;false;0,00;0,00;0,00;0,00');
    expect(lines).toContain('month;;;2024-05;;100,10;0,00;;;;;;;;');
  });

  it('reaches every CSV route: progress, volumes, ESF+, audit, a record history', async () => {
    for (const [who, path] of [
      ['auditor', '/progress'],
      ['auditor', '/volumes'],
      ['auditor', '/exports/esf-indicators'],
      ['auditor', '/audit?figure=budget'],
      ['partnerA', `/expenditures/${expenditureId}`],
    ] as const) {
      const res = await get(who, `${path}${path.includes('?') ? '&' : '?'}format=csv&dialect=excel`).expect(200);
      expect(res.text.charCodeAt(0)).toBe(0xfeff);
      expect(res.text).toContain(';');
      expect(res.text.endsWith('\r\n')).toBe(true);
    }
  });

  it('reaches the CSVs the walk above leaves out: a budget over dates, an activity history', async () => {
    const activity = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send({
        occurredOn: '2024-05-12',
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 90,
        workerRef: 'nurse-07',
        recipient: { personalCode: lithuanianCode('3400101123') },
      })
      .expect(201);
    const range = await get('finance', '/budget?from=2024-05-01&to=2024-05-31&format=csv&dialect=excel').expect(200);
    expect(range.text.charCodeAt(0)).toBe(0xfeff);
    expect(range.text.slice(1).split('\r\n')).toContain('line;visaginas-spc;staff;;100,10;0,00;0,00;100,10');
    const history = await get('partnerA', `/activities/${activity.body.activityId}?format=csv&dialect=excel`).expect(
      200,
    );
    expect(history.text.charCodeAt(0)).toBe(0xfeff);
    expect(history.text.endsWith('\r\n')).toBe(true);
    expect(history.text).toContain(';');
    expect(history.text).not.toContain('3400101123');
  });

  it('refuses an unknown dialect, and a dialect without format=csv, naming the field and rule', async () => {
    const unknown = await get('finance', '/budget?format=csv&dialect=libreoffice').expect(400);
    expect(unknown.body.issues).toEqual([expect.objectContaining({ field: 'dialect', rule: 'enum' })]);
    const notCsv = await get('finance', '/budget?dialect=excel').expect(400);
    expect(notCsv.body.issues).toEqual([expect.objectContaining({ field: 'dialect', rule: 'format-csv-only' })]);
    const record = await get('partnerA', `/expenditures/${expenditureId}?dialect=excel`).expect(400);
    expect(record.body.issues).toEqual([expect.objectContaining({ field: 'dialect', rule: 'format-csv-only' })]);
  });
});

describe("an import's row errors in the excel dialect", () => {
  let t: LedgerTestApp;
  let redis: RedisServer;
  let worker: JobWorker;
  let errorsCsv = '';

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
    await seedProject(t);
    worker = await startReportWorker(redis.url, t.app, t.dir);
    const csv = [
      'kind;occurredOn;durationMinutes;topic;trainingKind;participants',
      'training-held;2024-03-15;1.5;=Mokymai;competence;12',
    ].join('\n');
    const started = await request(t.base)
      .post(url('/imports'))
      .set(t.as('partnerA'))
      .attach('file', Buffer.from(csv), 'trainings.csv')
      .expect(202);
    const done = await finishedImport(t.base, started.headers.location!, t.as('partnerA'));
    expect(done.summary).toMatchObject({ rejected: 1 });
    errorsCsv = done.errors.csv;
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.stop();
  });

  it('standard is the stored file; excel has BOM, `;`, CRLF and the decimal comma, line for line', async () => {
    const get = (query: string) =>
      request(t.base).get(`${errorsCsv}${query}`).set(t.as('partnerA')).buffer(true).expect(200);
    const plain = await get('');
    expect((await get('?dialect=standard')).text).toBe(plain.text);
    const standardLines = plain.text.trim().split('\n');
    expect(standardLines[1]).toMatch(/^csv,2,.*,1\.5,isInt,/);
    const excel = await get('?dialect=excel');
    expect(excel.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(excel.headers['content-disposition']).toMatch(/errors\.csv"$/);
    expect(excel.text.charCodeAt(0)).toBe(0xfeff);
    expect(excel.text.endsWith('\r\n')).toBe(true);
    const lines = excel.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('sheet;row;column;value;rule;message');
    expect(lines).toHaveLength(standardLines.length);
    expect(lines[1]).toMatch(/^csv;2;.*;1,5;isInt;/);
  });

  it('refuses an unknown dialect, and a dialect on the XLSX, naming the field', async () => {
    const unknown = await request(t.base).get(`${errorsCsv}?dialect=libreoffice`).set(t.as('partnerA')).expect(400);
    expect(unknown.body.issues).toEqual([expect.objectContaining({ field: 'dialect', rule: 'enum' })]);
    const xlsx = await request(t.base)
      .get(errorsCsv.replace(/csv$/, 'xlsx') + '?dialect=excel')
      .set(t.as('partnerA'))
      .expect(400);
    expect(xlsx.body.issues).toEqual([expect.objectContaining({ field: 'dialect', rule: 'unknown-parameter' })]);
  });
});
