// The lists the API lacked (#17): activities and expenditures filtered, sorted and paged by cursor,
// exported whole as csv/xlsx; one person's records by the personal code (never echoed); the
// verification queue; the expenditure register, whose totals reconcile with /budget.
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import { lithuanianCode, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const ELDER = lithuanianCode('3400101123');
const CHILD = lithuanianCode('6190512123');
const NEVER_SEEN = lithuanianCode('4450301123');
const A = 'visaginas-spc';
const B = 'utena-spc';
type Who = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB';

/** Collects what the process writes to stdout and stderr (Nest's logger) while `act` runs. */
async function capturingLogs<T>(act: () => Promise<T>): Promise<{ result: T; logged: string }> {
  const lines: string[] = [];
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const tap =
    (write: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      lines.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(original.out) as typeof process.stdout.write;
  process.stderr.write = tap(original.err) as typeof process.stderr.write;
  try {
    return { result: await act(), logged: lines.join('') };
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }
}

describe('record lists: filtered, paged, exported; person search; verification queue; expenditure register', () => {
  let t: LedgerTestApp;
  let last = 0;
  const ids: Record<string, string> = {};

  const post = async (who: Who, path: string, body: object) => {
    const res = await request(t.base).post(url(path)).set(t.as(who)).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body.position;
    return res.body;
  };
  const get = (who: Who, path: string) => request(t.base).get(url(path)).set(t.as(who));
  const visit = (occurredOn: string, code: string, worker: string) => ({
    occurredOn,
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 60,
    recipient: { personalCode: code },
    workerRef: worker,
  });
  const spend = (occurredOn: string, amount: string, documentRef: string, categoryId = 'staff') => ({
    categoryId,
    amount,
    occurredOn,
    documentRef,
    description: 'salaries',
  });
  const listIds = async (who: Who, path: string): Promise<string[]> =>
    (await get(who, path).expect(200)).body.records.map((r: { id: string }) => r.id);

  beforeAll(async () => {
    t = await startLedgerTestApp(undefined, {}, { logs: true });
    await seedProject(t);
    ids.a1 = (
      await post('partnerA', '/activities/service-deliveries', visit('2024-04-10', ELDER, 'nurse-07'))
    ).activityId;
    ids.a2 = (
      await post('partnerA', '/activities/service-deliveries', visit('2024-03-05', CHILD, 'nurse-08'))
    ).activityId;
    ids.a3 = (
      await post('partnerA', '/activities/caregiver-consultations', {
        occurredOn: '2024-05-12',
        topic: 'preparing-to-care',
        durationMinutes: 60,
        familyMembers: 2,
      })
    ).activityId;
    ids.a4 = (
      await post('partnerA', '/activities/service-deliveries', visit('2024-04-20', ELDER, 'nurse-07'))
    ).activityId;
    ids.b1 = (
      await post('partnerB', '/activities/service-deliveries', visit('2024-04-11', ELDER, 'nurse-b'))
    ).activityId;
    await post('auditor', `/activities/${ids.a1}/verify`, { note: 'matches the log' });
    await post('auditor', `/activities/${ids.a2}/reject`, { reason: 'no visit log' });
    await post('partnerA', `/activities/${ids.a3}/void`, { reason: 'entered twice' });
    await request(t.base)
      .put(url(`/allocations/${A}/staff`))
      .set(t.as('finance'))
      .send({ amount: '9000.00' })
      .expect(201);
    await request(t.base)
      .put(url(`/allocations/${B}/equipment`))
      .set(t.as('finance'))
      .send({ amount: '900.00' })
      .expect(201);
    ids.e1 = (await post('partnerA', '/expenditures', spend('2024-04-30', '1000.00', 'INV-A-1'))).expenditureId;
    ids.e2 = (await post('partnerA', '/expenditures', spend('2024-05-31', '1200.50', 'INV-A-2'))).expenditureId;
    ids.e3 = (
      await post('partnerB', '/expenditures', spend('2024-04-15', '250.00', 'INV-B-1', 'equipment'))
    ).expenditureId;
    await post('finance', `/expenditures/${ids.e1}/verify`, {
      eligible: '900.00',
      ineligible: '100.00',
      note: 'one line out',
      ineligibleReason: 'not-in-approved-budget',
    });
    await get('auditor', `/activities?position=${last}`).expect(200);
  });
  afterAll(() => t.close());

  it('each filter narrows the list to the records it names', async () => {
    const act = (q = '') => listIds('auditor', `/activities${q}`);
    expect(await act()).toEqual([ids.a1, ids.a2, ids.a3, ids.a4, ids.b1]);
    expect(await act(`?partnerId=${B}`)).toEqual([ids.b1]);
    expect(await act('?kind=caregiver-consultation')).toEqual([ids.a3]);
    expect(await act('?state=verified')).toEqual([ids.a1]);
    expect(await act('?state=rejected')).toEqual([ids.a2]);
    expect(await act('?state=voided')).toEqual([ids.a3]);
    expect(await act('?state=pending')).toEqual([ids.a4, ids.b1]);
    expect(await act('?from=2024-04-10&to=2024-04-11')).toEqual([ids.a1, ids.b1]);
    expect(await act('?period=2024-03')).toEqual([ids.a2]);
    expect(await act('?period=2024-Q2&worker=nurse-07')).toEqual([ids.a1, ids.a4]);
    expect(await act('?sort=date')).toEqual([ids.a2, ids.a1, ids.b1, ids.a4, ids.a3]);
    expect(await act('?sort=-recorded')).toEqual([ids.b1, ids.a4, ids.a3, ids.a2, ids.a1]);
    const exp = (q = '') => listIds('finance', `/expenditures${q}`);
    expect(await exp()).toEqual([ids.e1, ids.e2, ids.e3]);
    expect(await exp('?document=INV-A-2')).toEqual([ids.e2]);
    expect(await exp('?categoryId=equipment')).toEqual([ids.e3]);
    expect(await exp('?state=verified')).toEqual([ids.e1]);
    const one = (await get('finance', `/expenditures?document=INV-A-1`).expect(200)).body.records[0];
    expect(await listIds('finance', '/expenditures?state=pending')).toEqual([ids.e2, ids.e3]);
    expect((await get('finance', '/expenditures?document=INV-A-2').expect(200)).body.records[0]).toMatchObject({
      eligible: null,
      ineligible: null,
    });
    expect(one).toMatchObject({
      id: ids.e1,
      partnerId: A,
      occurredOn: '2024-04-30',
      documentRef: 'INV-A-1',
      amount: '1000.00',
      eligible: '900.00',
      ineligible: '100.00',
      state: 'verified',
      verdictNote: 'one line out',
    });
  });

  it.each(['recorded', 'date', '-date'])(
    'pages with `after` give every record once, in order, while records are appended (sort=%s)',
    async (sort) => {
      const before = await listIds('auditor', `/activities?sort=${sort}`);
      const seen: string[] = [];
      let next: string | null = `${url('/activities')}?sort=${sort}&limit=2`;
      let appended = 0;
      while (next) {
        const res: request.Response = await request(t.base).get(next).set(t.as('auditor')).expect(200);
        seen.push(...res.body.records.map((r: { id: string }) => r.id));
        next = res.body.next;
        // A record created between two pages, dated inside the range already read.
        await post('partnerB', '/activities/service-deliveries', visit('2024-04-11', CHILD, `late-${++appended}`));
        await get('auditor', `/activities?position=${last}`).expect(200);
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => before.includes(id))).toEqual(before);
    },
  );

  it('partners see their own; naming another partner is refused; an unknown partner is named', async () => {
    const own = await listIds('partnerB', '/activities');
    expect(own.length).toBeGreaterThan(0);
    const all = (await get('auditor', `/activities?partnerId=${B}&limit=500`).expect(200)).body.records;
    expect(own).toEqual(all.map((r: { id: string }) => r.id));
    const res = await get('partnerB', `/activities?partnerId=${A}`).expect(403);
    expect(res.body.message).toMatch(/^partnerId: /);
    await get('partnerB', `/expenditures?partnerId=${A}`).expect(403);
    await get('partnerB', `/verification-queue?partnerId=${A}`).expect(403);
    await get('partnerB', `/expenditure-register?partnerId=${A}`).expect(403);
    expect(await listIds('partnerB', '/expenditures')).toEqual([ids.e3]);
    const unknown = await get('auditor', '/activities?partnerId=nobody-spc').expect(422);
    expect(unknown.body.issues).toEqual([expect.objectContaining({ field: 'partnerId', rule: 'registered-partner' })]);
  });

  it.each([
    ['/activities?sort=oldest', 'sort', 'enum'],
    ['/activities?limit=0', 'limit', 'integer-range'],
    ['/activities?limit=501', 'limit', 'integer-range'],
    ['/activities?after=garbage!', 'after', 'cursor'],
    ['/activities?before=garbage!', 'before', 'cursor'],
    ['/activities?period=2024-Q5', 'period', 'period'],
    ['/activities?period=2024-Q2&from=2024-04-01', 'period', 'period-or-dates'],
    ['/activities?state=approved', 'state', 'enum'],
    ['/activities?kind=visit', 'kind', 'enum'],
    ['/activities?worker=a%20b', 'worker', 'ref'],
    ['/activities?format=csv&limit=5', 'limit', 'json-only'],
    ['/activities?dialect=excel', 'dialect', 'format-csv-only'],
    ['/expenditures?document=INV%201', 'document', 'ref'],
    ['/expenditures?kind=equipment-procured', 'kind', 'unknown-parameter'],
    ['/verification-queue?limit=x', 'limit', 'integer-range'],
    ['/verification-queue?record=expenditures', 'record', 'enum'],
    ['/expenditure-register?period=2024', 'period', 'period'],
  ])('%s → 400 naming %s (%s)', async (path, field, rule) => {
    const res = await get('auditor', path).expect(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ field, rule })]);
  });

  it('a cursor of another order is refused, naming after', async () => {
    const first = (await get('auditor', '/activities?sort=date&limit=1').expect(200)).body;
    const res = await get('auditor', `/activities?sort=recorded&after=${first.nextCursor}`).expect(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ field: 'after', rule: 'cursor-of-sort' })]);
  });

  it.each(['recorded', 'date', '-date'])(
    'pages walk back with `before` (the prev links) through the same pages as forward (sort=%s)',
    async (sort) => {
      const idsOf = (body: { records: { id: string }[] }) => body.records.map((r) => r.id);
      const at = (link: string) => request(t.base).get(link).set(t.as('auditor')).expect(200);
      let body = (await get('auditor', `/activities?sort=${sort}&limit=2`).expect(200)).body;
      expect([body.prev, body.prevCursor]).toEqual([null, null]);
      const forward = [idsOf(body)];
      while (body.next) {
        body = (await at(body.next)).body;
        forward.push(idsOf(body));
      }
      expect(forward.length).toBeGreaterThan(2);
      const back = [idsOf(body)];
      while (body.prev) {
        expect(body.prev).not.toContain('after=');
        body = (await at(body.prev)).body;
        back.unshift(idsOf(body));
      }
      expect(back).toEqual(forward);
      // From the first page reached backwards, forward again: its second page.
      expect(idsOf((await at(body.next)).body)).toEqual(forward[1]);
      const both = await get('auditor', `/activities?sort=${sort}&after=${body.nextCursor}&before=${body.nextCursor}`);
      expect(both.status).toBe(400);
      expect(both.body.issues).toEqual([expect.objectContaining({ field: 'before', rule: 'after-or-before' })]);
    },
  );

  it('CSV (both dialects) and XLSX hold every matching record, as the JSON does', async () => {
    const json = (await get('finance', '/expenditures?limit=500').expect(200)).body.records as Record<
      string,
      unknown
    >[];
    const standard: Record<string, string>[] = parse(
      (await get('finance', '/expenditures?format=csv').expect(200)).text,
      { columns: true },
    );
    const excelText = (await get('finance', '/expenditures?format=csv&dialect=excel').expect(200)).text;
    expect(excelText.charCodeAt(0)).toBe(0xfeff);
    const excel: Record<string, string>[] = parse(excelText.slice(1), { columns: true, delimiter: ';' });
    const xlsx = await get('finance', '/expenditures?format=xlsx')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new Workbook();
    await book.xlsx.load(xlsx.body);
    const sheet = book.worksheets[0]!;
    const sheetRows: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) sheetRows.push((row.values as unknown[]).slice(1));
    });
    expect(standard.map((r) => [r.id, r.document_ref, r.amount, r.eligible, r.state])).toEqual(
      json.map((r) => [r.id, r.documentRef, r.amount, r.eligible ?? '', r.state]),
    );
    expect(excel.map((r) => [r.id, r.amount])).toEqual(json.map((r) => [r.id, String(r.amount).replace('.', ',')]));
    // id, …, amount in column 17 (a number in EUR), state in column 7.
    expect(sheetRows.map((r) => [r[0], r[16], r[6]])).toEqual(json.map((r) => [r.id, Number(r.amount), r.state]));
  });

  it("a person's records by the personal code: found, never echoed (answer, logs); an unseen code: an empty list", async () => {
    const { result, logged } = await capturingLogs(async () => {
      const found = await request(t.base)
        .post(url('/activities/search'))
        .set(t.as('partnerA'))
        .send({ personalCode: ELDER })
        .expect(200);
      const none = await request(t.base)
        .post(url('/activities/search'))
        .set(t.as('auditor'))
        .send({ personalCode: NEVER_SEEN })
        .expect(200);
      const bad = await request(t.base)
        .post(url('/activities/search'))
        .set(t.as('auditor'))
        .send({ personalCode: ELDER.slice(0, 10) + String((Number(ELDER[10]) + 1) % 10) })
        .expect(422);
      return { found: [found.headers, found.body], none: [none.headers, none.body], bad: [bad.headers, bad.body] };
    });
    expect(result.found[1].records.map((r: { id: string }) => r.id)).toEqual([ids.a1, ids.a4]);
    const auditorSees = await request(t.base)
      .post(url('/activities/search'))
      .set(t.as('auditor'))
      .send({ personalCode: ELDER, sort: 'date' })
      .expect(200);
    expect(auditorSees.body.records.map((r: { id: string }) => r.id)).toEqual([ids.a1, ids.b1, ids.a4]);
    expect(result.none[1].records).toEqual([]);
    expect(result.bad[1].issues).toEqual([expect.objectContaining({ field: 'personalCode' })]);
    for (const text of [JSON.stringify(result), logged]) {
      expect(text).not.toContain(ELDER);
      expect(text).not.toContain(NEVER_SEEN);
      expect(text).not.toContain(ELDER.slice(0, 10));
    }
    await request(t.base)
      .post(url('/activities/search'))
      .set(t.as('finance'))
      .send({ personalCode: ELDER })
      .expect(403);
  });

  it('the verification queue: what awaits review, oldest first, per partner, with its age', async () => {
    const queue = (await get('auditor', '/verification-queue?limit=500').expect(200)).body;
    const positions = queue.records.map((r: { position: number }) => r.position);
    expect(positions).toEqual([...positions].sort((x: number, y: number) => x - y));
    const first = queue.records.slice(0, 4).map((r: { id: string; record: string }) => [r.record, r.id]);
    expect(first).toEqual([
      ['activity', ids.a4],
      ['activity', ids.b1],
      ['expenditure', ids.e2],
      ['expenditure', ids.e3],
    ]);
    expect(queue.records[0]).toMatchObject({ state: 'pending', ageDays: 0 });
    const ofA = (await get('partnerA', '/verification-queue').expect(200)).body.records;
    expect(ofA.map((r: { id: string }) => r.id)).toEqual([ids.a4, ids.e2]);
    const paged = (await get('auditor', '/verification-queue?limit=1').expect(200)).body;
    const second = (await request(t.base).get(paged.next).set(t.as('auditor')).expect(200)).body;
    expect(second.records.map((r: { id: string }) => r.id)).toEqual([ids.b1]);
    // One type of record: finance's queue holds expenditures only, the next link keeps the filter.
    const spent = (await get('finance', '/verification-queue?record=expenditure&limit=1').expect(200)).body;
    expect(spent.records).toEqual([expect.objectContaining({ record: 'expenditure', id: ids.e2, ageDays: 0 })]);
    expect(spent.next).toContain('record=expenditure');
    const rest = (await request(t.base).get(spent.next).set(t.as('finance')).expect(200)).body.records;
    expect(rest.map((r: { record: string }) => r.record)).toEqual(rest.map(() => 'expenditure'));
    expect(rest[0].id).toBe(ids.e3);
    const acts = (await get('auditor', '/verification-queue?record=activity&limit=500').expect(200)).body.records;
    expect(acts.map((r: { id: string }) => r.id)).toEqual(
      queue.records.filter((r: { record: string }) => r.record === 'activity').map((r: { id: string }) => r.id),
    );
  });

  it('the expenditure register of a period, and totals that reconcile with /budget', async () => {
    const q2 = (await get('finance', '/expenditure-register?period=2024-Q2').expect(200)).body;
    expect(q2.expenditures.map((e: { id: string }) => e.id)).toEqual([ids.e3, ids.e1, ids.e2]);
    expect(q2.between).toEqual({ from: '2024-04-01', to: '2024-06-30' });
    const budget = (await get('finance', '/budget').expect(200)).body;
    const all = (await get('finance', '/expenditure-register').expect(200)).body;
    expect(all.totals).toEqual({
      count: 3,
      declared: budget.total.declared,
      eligible: budget.total.eligible,
      ineligible: budget.total.ineligible,
      pending: budget.total.pending,
    });
    expect(all.totals).toMatchObject({ declared: '2450.50', eligible: '900.00', pending: '1450.50' });
    const csv = parse((await get('finance', '/expenditure-register?format=csv').expect(200)).text, { columns: true });
    expect(csv.at(-1)).toMatchObject({ row: 'total', declared: '2450.50', eligible: '900.00', ineligible: '100.00' });
    const ofB = (await get('auditor', `/expenditure-register?partnerId=${B}`).expect(200)).body;
    expect(ofB.expenditures.map((e: { id: string }) => e.id)).toEqual([ids.e3]);
    // As the budget: finance's and the agency's, not a partner's.
    await get('partnerB', '/expenditure-register').expect(403);
  });
});
