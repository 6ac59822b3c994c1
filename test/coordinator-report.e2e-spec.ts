// The coordinator report (issue #19 item 5, seed 003) for 2024-Q2 of one partner, every figure
// worked out by hand from the records below, as JSON, CSV and XLSX, and as of an earlier point.
import request from 'supertest';
import { Workbook } from 'exceljs';
import { lithuanianCode, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const X = lithuanianCode('3400101123');
const Y = lithuanianCode('4450301123');
const Z = lithuanianCode('3500505123');
const V = lithuanianCode('4600606123');
type Who = 'partnerA' | 'partnerB' | 'auditor' | 'finance' | 'admin';

describe('coordinator report of a quarter, checked against hand-computed figures', () => {
  let t: LedgerTestApp;
  let beforeV = 0;
  const post = async (who: Who, path: string, body: object) =>
    (await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(201)).body;
  const service = (occurredOn: string, code: string, workerRef: string, times: object) => ({
    occurredOn,
    service: 'care',
    targetGroup: 'elderly',
    setting: 'home',
    recipient: { personalCode: code },
    workerRef,
    ...times,
  });
  const at = (start: string, end: string) => ({ startTime: start, endTime: end });
  const report = (who: Who, query: string) =>
    request(t.base)
      .get(url(`/coordinator-reports?period=2024-Q2${query}`))
      .set(t.as(who));

  beforeAll(async () => {
    t = await startLedgerTestApp(new Date('2024-07-15T10:00:00Z'));
    await seedProject(t);
    const worker = (workerRef: string, teamRef: string, role: string, startedOn: string) =>
      post('partnerA', '/workforce/workers', { workerRef, teamRef, role, startedOn });
    await worker('W-1', 'T-north', 'assistant', '2024-01-02');
    await worker('W-2', 'T-north', 'assistant', '2024-04-15');
    await worker('W-3', 'T-south', 'nurse', '2023-06-01');
    const svc = (on: string, code: string, w: string, times: object) =>
      post('partnerA', '/activities/service-deliveries', service(on, code, w, times));
    await svc('2024-03-20', X, 'W-1', { durationMinutes: 60 }); // Q1: X is not new in Q2
    await svc('2024-04-02', X, 'W-1', at('08:00', '09:30'));
    await svc('2024-04-09', X, 'W-1', at('08:00', '09:30'));
    await svc('2024-04-03', Y, 'W-1', at('13:00', '14:00'));
    await svc('2024-05-06', Y, 'W-3', at('10:00', '10:45'));
    await svc('2024-05-07', Z, 'W-2', { durationMinutes: 120 });
    const voided = await svc('2024-06-01', X, 'W-1', { durationMinutes: 60 });
    await post('partnerA', `/activities/${voided.activityId}/void`, { reason: 'entered twice' });
    await svc('2024-07-02', Y, 'W-1', { durationMinutes: 30 }); // Q3
    await post('partnerB', '/activities/service-deliveries', service('2024-04-04', X, 'W-1', { durationMinutes: 45 }));
    await post('partnerA', '/workforce/workers/W-3/departure', { leftOn: '2024-05-31' });
    const vacancy = { teamRef: 'T-south', role: 'nurse' };
    await post('partnerA', '/workforce/positions', { ...vacancy, positionRef: 'P-3', vacatedOn: '2024-05-31' });
    await worker('W-4', 'T-south', 'nurse', '2024-06-17');
    await post('partnerA', '/workforce/positions/P-3/fill', { workerRef: 'W-4', filledOn: '2024-06-17' });
    await post('partnerA', '/workforce/positions', { ...vacancy, positionRef: 'P-9', vacatedOn: '2024-06-25' });
    const end = (code: string, endedOn: string, reason: string) =>
      post('partnerA', '/service-endings', { recipient: { personalCode: code }, endedOn, reason });
    await end(Y, '2024-06-28', 'moved-away');
    await end(Z, '2024-05-30', 'residential-care');
    beforeV = (await end(X, '2024-07-03', 'refused')).position; // Q3
    const last = await svc('2024-06-20', V, 'W-4', at('09:00', '11:00'));
    await request(t.base)
      .get(url(`/volumes?position=${last.position}`))
      .set(t.as('auditor'))
      .expect(200);
  });
  afterAll(() => t.close());

  it('per worker: hours, time ranges and persons; totals; endings by reason; vacancies; new persons', async () => {
    const r = (await report('auditor', '&partnerId=visaginas-spc').expect(200)).body;
    expect([r.from, r.to]).toEqual(['2024-04-01', '2024-06-30']);
    const line = (w: { workerRef: string; teamRef: string; role: string; services: number; hours: number }) => w;
    expect(r.workers.map(line)).toEqual([
      {
        workerRef: 'W-1',
        teamRef: 'T-north',
        role: 'assistant',
        services: 3,
        hours: 4, // 90 + 90 + 60 minutes
        persons: 2, // X, Y
        timedServices: 3,
        earliestStart: '08:00',
        latestEnd: '14:00',
        timeRanges: [
          { from: '08:00', to: '09:30', services: 2 },
          { from: '13:00', to: '14:00', services: 1 },
        ],
      },
      expect.objectContaining({
        workerRef: 'W-2',
        services: 1,
        hours: 2,
        persons: 1,
        timedServices: 0,
        timeRanges: [],
      }),
      expect.objectContaining({
        workerRef: 'W-3',
        teamRef: 'T-south',
        services: 1,
        hours: 0.75,
        earliestStart: '10:00',
      }),
      expect.objectContaining({ workerRef: 'W-4', role: 'nurse', services: 1, hours: 2, latestEnd: '11:00' }),
    ]);
    // 6 services, 240 + 120 + 45 + 120 = 525 minutes, persons X, Y, Z, V; new: Y, Z, V (X began in Q1).
    expect(r.totals).toEqual({ services: 6, hours: 8.75, persons: 4 });
    expect(r.newPersons).toBe(3);
    expect(r.serviceEndings.filter((e: { count: number }) => e.count > 0)).toEqual([
      { reason: 'moved-away', count: 1 },
      { reason: 'residential-care', count: 1 },
    ]);
    expect(r.positions).toMatchObject({ vacated: 2, filled: 1, openAtEnd: 1 });
    expect(r.positions.entries.map((p: { positionRef: string }) => p.positionRef)).toEqual(['P-3', 'P-9']);
    expect(JSON.stringify(r)).not.toMatch(/\d{11}/);
  });

  it('as of the point before the last service, V and its hours are not there yet', async () => {
    const r = (await report('partnerA', `&asOf=${beforeV}`).expect(200)).body;
    expect([r.totals, r.newPersons, r.position]).toEqual([{ services: 5, hours: 6.75, persons: 3 }, 2, beforeV]);
  });

  it('CSV and XLSX (typed cells, Lithuanian headers) hold the same figures', async () => {
    const csv = await report('partnerA', '&format=csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain('worker,W-1,hours,4\n');
    expect(csv.text).toContain('totals,*,new_persons,3\n');
    expect(csv.text).toContain('service_endings,moved-away,persons,1\n');
    const xlsx = await report('partnerA', '&format=xlsx')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new Workbook();
    await book.xlsx.load(xlsx.body);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Darbuotojai',
      'Paslaugų nutraukimas',
      'Pareigybės',
      'Suvestinė',
    ]);
    const workers = book.getWorksheet('Darbuotojai')!;
    expect(workers.getRow(1).getCell(5).value).toBe('Valandos / Hours');
    expect(workers.getRow(2).getCell(1).value).toBe('W-1');
    expect(workers.getRow(2).getCell(5).value).toBe(4);
    const positions = book.getWorksheet('Pareigybės')!;
    expect(positions.getRow(2).getCell(4).value).toEqual(new Date('2024-05-31T00:00:00Z'));
  });

  it('a partner reads only its own; finance is refused; the agency names the partner; a month is not a quarter', async () => {
    const b = (await report('partnerB', '').expect(200)).body;
    // X is new to partner B in Q2: newness is per partner.
    expect([b.partnerId, b.totals.services, b.newPersons]).toEqual(['utena-spc', 1, 1]);
    await report('partnerB', '&partnerId=visaginas-spc').expect(403);
    await report('finance', '&partnerId=visaginas-spc').expect(403);
    expect(JSON.stringify((await report('auditor', '').expect(400)).body)).toContain('partnerId');
    const month = await request(t.base)
      .get(url('/coordinator-reports?period=2024-05'))
      .set(t.as('partnerA'))
      .expect(400);
    expect(month.body.issues).toEqual([expect.objectContaining({ field: 'period', rule: 'period' })]);
    const none = await request(t.base).get(url('/coordinator-reports')).set(t.as('partnerA')).expect(400);
    expect(JSON.stringify(none.body)).toContain('period');
  });
});
