import request from 'supertest';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

/**
 * A full disk, simulated with SQLite's max_page_count on the event store's connection: writes are
 * answered 503 with a message a person can act on and a Retry-After, the server logs it, nothing
 * is half-written, and once space is freed the same server writes again.
 */
describe('writes on a full disk', () => {
  let t: LedgerTestApp;
  let output = '';
  const originals = { out: process.stdout.write, err: process.stderr.write, noColor: process.env.NO_COLOR };

  const expenditure = (i: number) => ({
    categoryId: 'staff',
    amount: '10.00',
    occurredOn: '2024-05-10',
    documentRef: `INV-${i}`,
    description: 'filling the disk',
  });
  const promotion = (title: string) => ({
    kind: 'promotion-event',
    occurredOn: '2024-05-20',
    audience: 'family-members',
    title,
    attendees: 12,
  });

  beforeAll(async () => {
    // The server's own log (Nest's logger on, plain text) is kept here, not printed.
    process.env.NO_COLOR = '1';
    for (const stream of ['stdout', 'stderr'] as const)
      process[stream].write = ((chunk: string | Uint8Array) => {
        output += chunk.toString();
        return true;
      }) as typeof process.stdout.write;
    t = await startLedgerTestApp(undefined, {}, { logs: true });
    await seedProject(t);
  });
  afterAll(async () => {
    await t.close();
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
    if (originals.noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = originals.noColor;
  });

  it('answers 503 with Retry-After, logs it, writes nothing, and writes again once space is freed', async () => {
    t.store.simulateDiskLimit(1); // the file may not grow any more
    let full: request.Response | null = null;
    for (let i = 0; i < 1000 && !full; i++) {
      const res = await request(t.base).post(url('/expenditures')).set(t.as('partnerA')).send(expenditure(i));
      if (res.status !== 201) full = res;
    }
    expect(full).not.toBeNull();
    expect(full!.status).toBe(503);
    expect(full!.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: "the ledger's disk is full; nothing was written; try again when space is freed",
    });
    expect(full!.headers['retry-after']).toBe('60');
    // One JSON line (pino) at level error.
    expect(output).toMatch(
      /"level":"error",[^\n]*"context":"http","msg":"disk full: POST \/api\/v1\/projects\/[^ ]+\/expenditures answered 503, nothing written; free space in the data directory \(SQLITE_FULL: database or disk is full\)"/,
    );

    // A batch of several records (one unit of several streams) while full: none of it is kept.
    const before = await t.store.readAll();
    const batch = { records: [promotion('one'), promotion('two'), promotion('three')] };
    const refused = await request(t.base)
      .post(url('/activities/batch'))
      .set(t.as('partnerA'))
      .set('Idempotency-Key', 'batch-on-a-full-disk')
      .send(batch);
    expect([refused.status, refused.body.message]).toEqual([503, expect.stringMatching(/disk is full/)]);
    expect(await t.store.readAll()).toHaveLength(before.length);
    expect(await t.store.headPosition()).toBe(before.at(-1)!.position);

    // Space freed: the same request goes through once, on the same running server.
    t.store.simulateDiskLimit(1_000_000);
    const accepted = await request(t.base)
      .post(url('/activities/batch'))
      .set(t.as('partnerA'))
      .set('Idempotency-Key', 'batch-on-a-full-disk')
      .send(batch)
      .expect(201);
    expect(accepted.body.records).toHaveLength(3);
    const after = await t.store.readAll();
    expect(after.slice(before.length).map((e) => [e.type, e.data])).toEqual(
      ['one', 'two', 'three'].map((title) => [
        'InformalHelpEventHeld',
        expect.objectContaining({ fields: expect.objectContaining({ title }) }),
      ]),
    );
    await request(t.base).post(url('/expenditures')).set(t.as('partnerA')).send(expenditure(-1)).expect(201);
  });
});
