import request from 'supertest';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

/** A promotion event whose title holds `bytes` between two ASCII words, as raw JSON bytes. */
const eventWithTitleBytes = (bytes: number[]) =>
  Buffer.concat([
    Buffer.from('{"occurredOn":"2024-05-20","audience":"family-members","title":"Caregivers '),
    Buffer.from(bytes),
    Buffer.from(' evening","attendees":12}'),
  ]);

describe('a JSON body that is not valid UTF-8 is refused, never stored with U+FFFD in place of its bytes (HTTP)', () => {
  let t: LedgerTestApp;
  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
  });
  afterAll(() => t.close());

  /** Posts the bytes as they are (supertest would otherwise JSON-encode a Buffer as an object). */
  const sendBytes = (path: string, body: Buffer, contentType = 'application/json') =>
    request(t.base)
      .post(url(path))
      .set(t.as('partnerA'))
      .set('Content-Type', contentType)
      .serialize((bytes: unknown) => bytes as string)
      .send(body);
  const send = (body: Buffer, contentType?: string) => sendBytes('/activities/promotion-events', body, contentType);

  it.each([
    ['FF FE (no UTF-8 byte)', [0xff, 0xfe]],
    ['C3 28 (a lead byte without its continuation)', [0xc3, 0x28]],
    ['C0 AF (overlong "/")', [0xc0, 0xaf]],
    ['ED A0 80 (an encoded surrogate)', [0xed, 0xa0, 0x80]],
    ['E2 82 (truncated sequence)', [0xe2, 0x82]],
  ])('%s: 400 naming the rule utf-8; nothing written', async (_label, bytes) => {
    const head = await t.store.headPosition();
    const res = await send(eventWithTitleBytes(bytes)).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/not valid UTF-8/),
      issues: [{ field: '(body)', rule: 'utf-8', message: expect.stringMatching(/not valid UTF-8/) }],
    });
    expect(await t.store.headPosition()).toBe(head);
  });

  it('refuses invalid bytes in a key, in a batch and behind a declared charset=utf-8 alike', async () => {
    const head = await t.store.headPosition();
    const badKey = Buffer.concat([
      Buffer.from('{"occurredOn":"2024-05-20","'),
      Buffer.from([0xff]),
      Buffer.from('":1}'),
    ]);
    expect((await send(badKey).expect(400)).body.issues[0].rule).toBe('utf-8');
    const batch = Buffer.concat([
      Buffer.from('{"records":[{"kind":"promotion-event",'),
      eventWithTitleBytes([0xc3, 0x28]).subarray(1),
      Buffer.from(']}'),
    ]);
    const res = await sendBytes('/activities/batch', batch).expect(400);
    expect(res.body.issues[0].rule).toBe('utf-8');
    await send(eventWithTitleBytes([0xc0, 0xaf]), 'application/json; charset=utf-8').expect(400);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('refuses a body declared in another Unicode charset (JSON is UTF-8, RFC 8259): 415 naming utf-8', async () => {
    const head = await t.store.headPosition();
    const utf16 = Buffer.from(eventWithTitleBytes([]).toString('utf8'), 'utf16le');
    const res = await send(utf16, 'application/json; charset=utf-16le').expect(415);
    expect(res.body.issues).toEqual([{ field: 'Content-Type', rule: 'utf-8', message: expect.any(String) }]);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('stores valid UTF-8 exactly as sent (Lithuanian letters, an emoji)', async () => {
    const title = 'Globėjų vakaras – ačiū 🌿';
    const res = await send(eventWithTitleBytes([...Buffer.from(title)])).expect(201);
    const [event] = await t.store.readStream(res.body.streamId);
    expect((event!.data as { fields: { title: string } }).fields.title).toBe(`Caregivers ${title} evening`);
  });
});
