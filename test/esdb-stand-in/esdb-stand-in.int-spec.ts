/**
 * Drives the real @eventstore/db-client over real gRPC against the in-memory stand-in.
 * These tests pin down the stand-in's wire behaviour; they say nothing about a real
 * EventStoreDB server (see README.md).
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  binaryEvent,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Credentials,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { ServerFeaturesClient } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { startEsdbStandIn, type EsdbStandIn } from './esdb-stand-in.server';

type AnyResolved = ResolvedEvent | AllStreamResolvedEvent;

let standIn: EsdbStandIn;
let client: EventStoreDBClient;
const extraClients: EventStoreDBClient[] = [];

beforeAll(async () => {
  standIn = await startEsdbStandIn();
  client = EventStoreDBClient.connectionString(standIn.connectionString);
});

afterAll(async () => {
  for (const c of [client, ...extraClients]) await c?.dispose();
  await standIn?.close();
});

const newStream = (prefix: string): string => `${prefix}-${randomUUID()}`;

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function expectRejection<E>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`Expected rejection with ${type.name}`);
}

/** Records the data/caughtUp sequence of a catch-up subscription. */
function record(subscription: NodeJS.EventEmitter): { seq: Array<AnyResolved | 'caughtUp'>; events(): AnyResolved[] } {
  const seq: Array<AnyResolved | 'caughtUp'> = [];
  subscription.on('data', (e: AnyResolved) => seq.push(e));
  subscription.on('caughtUp', () => seq.push('caughtUp'));
  return { seq, events: () => seq.filter((x): x is AnyResolved => x !== 'caughtUp') };
}

const ids = (events: AnyResolved[]): string[] => events.map((e) => e.event!.id);

describe('ESDB stand-in: connection and server features', () => {
  it('serves a connection string the client can use', () => {
    expect(standIn.connectionString).toBe(`esdb://127.0.0.1:${standIn.port}?tls=false`);
    expect(standIn.port).toBeGreaterThan(0);
  });

  it('answers GetSupportedMethods with a version and the implemented methods (incl. BatchAppend)', async () => {
    const raw = new ServerFeaturesClient(`127.0.0.1:${standIn.port}`, grpc.credentials.createInsecure());
    try {
      const methods = await new Promise<SupportedMethods>((resolve, reject) =>
        raw.getSupportedMethods(new Empty(), (err, res) => (err ? reject(err) : resolve(res))),
      );
      expect(methods.getEventStoreServerVersion()).toMatch(/^2\d\.\d+\.\d+/);
      const paths = methods.getMethodsList().map((m) => `/${m.getServiceName()}/${m.getMethodName()}`);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/event_store.client.streams.streams/read',
          '/event_store.client.streams.streams/append',
          '/event_store.client.streams.streams/batchappend',
        ]),
      );
      expect(paths).toContain('/event_store.client.streams.streams/tombstone');
      expect(paths).not.toContain('/event_store.client.streams.streams/delete');
    } finally {
      raw.close();
    }
  });

  it('also works with an esdb+discover:// connection string (gossip)', async () => {
    const stream = newStream('gossip');
    await client.appendToStream(stream, jsonEvent({ type: 'Pinged', data: { n: 1 } }));
    const discovering = EventStoreDBClient.connectionString(`esdb+discover://127.0.0.1:${standIn.port}?tls=false`);
    extraClients.push(discovering);
    const events = await collect(discovering.readStream(stream));
    expect(events.map((e) => e.event!.type)).toEqual(['Pinged']);
  });
});

// The 6.2.1 client uses BatchAppend when the server advertises it and no per-call
// credentials are given; with per-call credentials it falls back to the Append RPC.
describe.each<[string, { credentials?: Credentials }]>([
  ['BatchAppend RPC (client default)', {}],
  ['Append RPC (per-call credentials)', { credentials: { username: 'admin', password: 'changeit' } }],
])('ESDB stand-in: appendToStream via %s', (_label, base) => {
  const append = (
    stream: string,
    events: Parameters<EventStoreDBClient['appendToStream']>[1],
    expectedRevision?: AppendExpectedRevision,
  ) =>
    client.appendToStream(stream, events, { ...base, ...(expectedRevision === undefined ? {} : { expectedRevision }) });

  it('appends and reads back ids, types, data, metadata, revisions, created and positions', async () => {
    const stream = newStream('roundtrip');
    const jsonId = randomUUID();
    const binaryId = randomUUID();
    const before = Date.now();
    const result = await append(stream, [
      jsonEvent({
        id: jsonId,
        type: 'ActivityRecorded',
        data: { hours: 3, partner: 'ngo-1' },
        metadata: { actor: 'u-7' },
      }),
      binaryEvent({
        id: binaryId,
        type: 'BlobAttached',
        data: Uint8Array.from([0, 1, 2, 254, 255]),
        metadata: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]),
      }),
    ]);
    expect(result.success).toBe(true);
    expect(result.nextExpectedRevision).toBe(1n);

    const events = await collect(client.readStream(stream));
    expect(events).toHaveLength(2);
    const [first, second] = events.map((e) => e.event!);
    expect(first).toMatchObject({
      streamId: stream,
      id: jsonId,
      type: 'ActivityRecorded',
      revision: 0n,
      isJson: true,
      data: { hours: 3, partner: 'ngo-1' },
      metadata: { actor: 'u-7' },
    });
    expect(second).toMatchObject({ streamId: stream, id: binaryId, type: 'BlobAttached', revision: 1n, isJson: false });
    expect(Buffer.from(second!.data as Uint8Array)).toEqual(Buffer.from([0, 1, 2, 254, 255]));
    expect(Buffer.from(second!.metadata as Uint8Array)).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));

    for (const e of [first!, second!]) {
      expect(e.created.getTime()).toBeGreaterThanOrEqual(before - 1);
      expect(e.created.getTime()).toBeLessThanOrEqual(Date.now() + 1);
      expect(e.position!.commit).toBe(e.position!.prepare);
    }
    expect(second!.position!.commit).toBeGreaterThan(first!.position!.commit);
    expect(result.position).toEqual(second!.position);
    expect(events[1]!.commitPosition).toBe(second!.position!.commit);
  });

  it('expectedRevision no_stream: succeeds on a new stream, then fails with WrongExpectedVersionError', async () => {
    const stream = newStream('no-stream');
    const first = await append(stream, jsonEvent({ type: 'Created', data: {} }), NO_STREAM);
    expect(first.nextExpectedRevision).toBe(0n);

    const error = await expectRejection(
      append(stream, jsonEvent({ type: 'Again', data: {} }), NO_STREAM),
      WrongExpectedVersionError,
    );
    expect(error.streamName).toBe(stream);
    expect(error.expectedVersion).toBe('no_stream');
    expect(error.actualVersion).toBe(0n);
  });

  it('expectedRevision stream_exists: fails on a missing stream, succeeds once it exists', async () => {
    const stream = newStream('exists');
    const error = await expectRejection(
      append(stream, jsonEvent({ type: 'X', data: {} }), STREAM_EXISTS),
      WrongExpectedVersionError,
    );
    expect(error.expectedVersion).toBe('stream_exists');
    expect(error.actualVersion).toBe('no_stream');

    await append(stream, jsonEvent({ type: 'Created', data: {} }), NO_STREAM);
    const ok = await append(stream, jsonEvent({ type: 'Updated', data: {} }), STREAM_EXISTS);
    expect(ok.nextExpectedRevision).toBe(1n);
  });

  it('expectedRevision exact: succeeds on match, reports current/expected on mismatch', async () => {
    const stream = newStream('exact');
    const missing = await expectRejection(
      append(stream, jsonEvent({ type: 'X', data: {} }), 0n),
      WrongExpectedVersionError,
    );
    expect(missing.expectedVersion).toBe(0n);
    expect(missing.actualVersion).toBe('no_stream');

    await append(stream, jsonEvent({ type: 'A', data: {} }), NO_STREAM);
    const ok = await append(stream, jsonEvent({ type: 'B', data: {} }), 0n);
    expect(ok.nextExpectedRevision).toBe(1n);

    const stale = await expectRejection(
      append(stream, jsonEvent({ type: 'C', data: {} }), 0n),
      WrongExpectedVersionError,
    );
    expect(stale.streamName).toBe(stream);
    expect(stale.expectedVersion).toBe(0n);
    expect(stale.actualVersion).toBe(1n);

    const ahead = await expectRejection(
      append(stream, jsonEvent({ type: 'C', data: {} }), 5n),
      WrongExpectedVersionError,
    );
    expect(ahead.expectedVersion).toBe(5n);
    expect(ahead.actualVersion).toBe(1n);

    const types = (await collect(client.readStream(stream))).map((e) => e.event!.type);
    expect(types).toEqual(['A', 'B']);
  });

  it('expectedRevision any: always appends at the end', async () => {
    const stream = newStream('any');
    expect((await append(stream, jsonEvent({ type: 'A', data: {} }), ANY)).nextExpectedRevision).toBe(0n);
    expect((await append(stream, jsonEvent({ type: 'B', data: {} }))).nextExpectedRevision).toBe(1n);
  });

  it('tombstoneStream: the stream is gone from every read, and reads and appends throw StreamDeletedError', async () => {
    const stream = newStream('tombstoned');
    const kept = newStream('kept');
    await append(stream, jsonEvent({ type: 'KeyMade', data: { secret: 'MARKER-key-bytes' } }));
    await append(kept, jsonEvent({ type: 'Kept', data: {} }));
    await expect(client.tombstoneStream(stream, { expectedRevision: NO_STREAM })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    const { position } = await client.tombstoneStream(stream, { expectedRevision: 0n });
    expect(position?.commit).toEqual(expect.any(BigInt));
    await expectRejection(collect(client.readStream(stream)), StreamDeletedError);
    await expectRejection(append(stream, jsonEvent({ type: 'KeyMade', data: {} })), StreamDeletedError);
    await expectRejection(client.tombstoneStream(stream), StreamDeletedError);
    const all = await collect(client.readAll());
    expect(all.some((e) => e.event?.streamId === stream)).toBe(false);
    expect(all.some((e) => e.event?.streamId === kept)).toBe(true);
    // A name never written can be tombstoned too: a later first append is refused.
    const never = newStream('never');
    await client.tombstoneStream(never);
    await expectRejection(append(never, jsonEvent({ type: 'KeyMade', data: {} }), NO_STREAM), StreamDeletedError);
  });

  it('is idempotent: re-appending the same event ids returns the original result and stores one copy', async () => {
    const stream = newStream('idempotent');
    const batch = [
      jsonEvent({ id: randomUUID(), type: 'A', data: { i: 1 } }),
      jsonEvent({ id: randomUUID(), type: 'B', data: { i: 2 } }),
    ];
    const original = await append(stream, batch, NO_STREAM);
    expect(original.nextExpectedRevision).toBe(1n);

    for (const expected of [NO_STREAM, ANY] as const) {
      const again = await append(stream, batch, expected);
      expect(again.nextExpectedRevision).toBe(original.nextExpectedRevision);
      expect(again.position).toEqual(original.position);
    }

    const third = jsonEvent({ id: randomUUID(), type: 'C', data: { i: 3 } });
    const afterThird = await append(stream, third, 1n);
    const retried = await append(stream, third, 1n);
    expect(retried.nextExpectedRevision).toBe(2n);
    expect(retried.position).toEqual(afterThird.position);

    const stored = await collect(client.readStream(stream));
    expect(ids(stored)).toEqual([batch[0]!.id, batch[1]!.id, third.id]);
    const inAll = ids(await collect(client.readAll())).filter((id) =>
      [batch[0]!.id, batch[1]!.id, third.id].includes(id),
    );
    expect(inAll).toHaveLength(3);

    // A partial overlap is not a retry: it is a wrong expected version.
    await expectRejection(
      append(stream, [batch[1]!, jsonEvent({ type: 'D', data: {} })], NO_STREAM),
      WrongExpectedVersionError,
    );
  });
});

describe('ESDB stand-in: readStream', () => {
  let stream: string;

  beforeAll(async () => {
    stream = newStream('read');
    await client.appendToStream(
      stream,
      [0, 1, 2, 3, 4].map((i) => jsonEvent({ type: `E${i}`, data: { i } })),
    );
  });

  const revisions = (events: ResolvedEvent[]): bigint[] => events.map((e) => e.event!.revision);

  it('reads forwards from start, from a revision, with maxCount', async () => {
    expect(revisions(await collect(client.readStream(stream)))).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(revisions(await collect(client.readStream(stream, { fromRevision: 2n, maxCount: 2 })))).toEqual([2n, 3n]);
    expect(revisions(await collect(client.readStream(stream, { fromRevision: END })))).toEqual([]);
  });

  it('reads backwards from end, from a revision, with maxCount', async () => {
    expect(revisions(await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: END })))).toEqual([
      4n,
      3n,
      2n,
      1n,
      0n,
    ]);
    expect(
      revisions(await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 2 }))),
    ).toEqual([4n, 3n]);
    expect(revisions(await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: 1n })))).toEqual([
      1n,
      0n,
    ]);
  });

  it('throws StreamNotFoundError for a stream that does not exist', async () => {
    const missing = newStream('missing');
    const error = await expectRejection(collect(client.readStream(missing)), StreamNotFoundError);
    expect(error.streamName).toBe(missing);
    await expectRejection(
      collect(client.readStream(missing, { direction: BACKWARDS, fromRevision: END })),
      StreamNotFoundError,
    );
  });
});

describe('ESDB stand-in: readAll', () => {
  let stream: string;
  let appended: Position;

  beforeAll(async () => {
    stream = newStream('all');
    const result = await client.appendToStream(stream, [
      jsonEvent({ type: 'One', data: {} }),
      jsonEvent({ type: 'Two', data: {} }),
      jsonEvent({ type: 'Three', data: {} }),
    ]);
    appended = result.position!;
  });

  const positions = (events: AllStreamResolvedEvent[]): bigint[] => events.map((e) => e.event!.position.commit);

  it('reads forwards with strictly increasing, non-dense positions, starting with a $ system event', async () => {
    const events = await collect(client.readAll());
    const pos = positions(events);
    for (let i = 1; i < pos.length; i++) expect(pos[i]! - pos[i - 1]!).toBeGreaterThan(1n);
    for (const e of events) expect(e.event!.position.prepare).toBe(e.event!.position.commit);
    expect(events[0]!.event!.type.startsWith('$')).toBe(true);
    expect(events[0]!.event!.streamId).toBe('$settings');
    expect(events.filter((e) => e.event!.streamId === stream).map((e) => e.event!.type)).toEqual([
      'One',
      'Two',
      'Three',
    ]);
  });

  it('reads backwards with strictly decreasing positions', async () => {
    const forwards = await collect(client.readAll());
    const backwards = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END }));
    const pos = positions(backwards);
    for (let i = 1; i < pos.length; i++) expect(pos[i]!).toBeLessThan(pos[i - 1]!);
    expect(ids(backwards)).toEqual(ids(forwards).reverse());
    expect(positions(await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 2 })))).toEqual(
      pos.slice(0, 2),
    );
  });

  it('honours fromPosition (forwards inclusive, backwards exclusive) and maxCount', async () => {
    const fromHere = await collect(client.readAll({ fromPosition: appended, maxCount: 1 }));
    expect(positions(fromHere)).toEqual([appended.commit]);
    expect(fromHere[0]!.event!.type).toBe('Three');

    const before = await collect(client.readAll({ direction: BACKWARDS, fromPosition: appended, maxCount: 2 }));
    expect(before.map((e) => e.event!.type)).toEqual(['Two', 'One']);
    for (const p of positions(before)) expect(p).toBeLessThan(appended.commit);

    expect(await collect(client.readAll({ maxCount: 3 }))).toHaveLength(3);
  });
});

describe('ESDB stand-in: subscribeToAll', () => {
  it('from start: delivers catch-up, then caughtUp, then live events', async () => {
    const stream = newStream('sub-live');
    const before = await client.appendToStream(stream, jsonEvent({ type: 'BeforeSubscribe', data: {} }));
    const subscription = client.subscribeToAll({ fromPosition: START });
    const rec = record(subscription);
    try {
      await eventually(() => rec.seq.includes('caughtUp'), 'caughtUp');
      const caughtUpAt = rec.seq.indexOf('caughtUp');
      const catchUp = rec.seq.slice(0, caughtUpAt) as AnyResolved[];
      expect(catchUp[0]!.event!.streamId).toBe('$settings');
      expect(catchUp.at(-1)!.event!.position).toEqual(before.position);

      const live = jsonEvent({ type: 'AfterSubscribe', data: { live: true } });
      await client.appendToStream(stream, live);
      await eventually(() => ids(rec.events()).includes(live.id), 'live event');
      const liveAt = rec.seq.findIndex((x) => x !== 'caughtUp' && x.event!.id === live.id);
      expect(liveAt).toBeGreaterThan(caughtUpAt);
      expect(rec.seq.filter((x) => x === 'caughtUp')).toHaveLength(1);
      expect((rec.seq[liveAt] as AnyResolved).event!.data).toEqual({ live: true });
    } finally {
      await subscription.unsubscribe();
    }
  });

  it('from a position: delivers only events after that position', async () => {
    const stream = newStream('sub-from');
    const first = await client.appendToStream(stream, jsonEvent({ type: 'First', data: {} }));
    const second = await client.appendToStream(stream, jsonEvent({ type: 'Second', data: {} }));
    const subscription = client.subscribeToAll({ fromPosition: first.position! });
    const rec = record(subscription);
    try {
      await eventually(() => rec.seq.includes('caughtUp'), 'caughtUp');
      const events = rec.events();
      expect(events.map((e) => e.event!.type)).toEqual(['Second']);
      expect(events[0]!.event!.position).toEqual(second.position);
    } finally {
      await subscription.unsubscribe();
    }
  });

  it('excludeSystemEvents() hides $ events; other filters select by type/stream prefix', async () => {
    const stream = newStream('sub-filter');
    await client.appendToStream(stream, [
      jsonEvent({ type: 'Visible', data: {} }),
      jsonEvent({ type: 'Other', data: {} }),
    ]);

    const unfiltered = client.subscribeToAll({ fromPosition: START });
    const filtered = client.subscribeToAll({ fromPosition: START, filter: excludeSystemEvents() });
    const byType = client.subscribeToAll({ fromPosition: START, filter: eventTypeFilter({ prefixes: ['Visi'] }) });
    const byStream = client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ regex: `^${stream}$` }) });
    const recs = [unfiltered, filtered, byType, byStream].map(record);
    try {
      for (const r of recs) await eventually(() => r.seq.includes('caughtUp'), 'caughtUp');
      const [all, noSystem, visible, ofStream] = recs.map((r) => r.events());
      expect(all!.some((e) => e.event!.type.startsWith('$'))).toBe(true);
      expect(noSystem!.some((e) => e.event!.type.startsWith('$'))).toBe(false);
      expect(noSystem).toHaveLength(all!.length - all!.filter((e) => e.event!.type.startsWith('$')).length);
      expect(new Set(visible!.map((e) => e.event!.type))).toEqual(new Set(['Visible']));
      expect(ofStream!.map((e) => e.event!.type)).toEqual(['Visible', 'Other']);

      const live = jsonEvent({ type: 'Visible', data: { late: true } });
      await client.appendToStream(stream, live);
      for (const r of [recs[1]!, recs[2]!, recs[3]!]) await eventually(() => ids(r.events()).includes(live.id), 'live');
    } finally {
      await Promise.all([unfiltered, filtered, byType, byStream].map((s) => s.unsubscribe()));
    }
  });

  it('sends checkpoints for filtered subscriptions when asked for a small window', async () => {
    const reached: Position[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: excludeSystemEvents({
        maxSearchWindow: 1,
        checkpointInterval: 1,
        checkpointReached: (_s, p) => void reached.push(p),
      }),
    });
    const rec = record(subscription);
    try {
      await eventually(() => rec.seq.includes('caughtUp'), 'caughtUp');
      await eventually(() => reached.length > 0, 'checkpoint');
      for (let i = 1; i < reached.length; i++) expect(reached[i]!.commit).toBeGreaterThan(reached[i - 1]!.commit);
    } finally {
      await subscription.unsubscribe();
    }
  });
});

describe('ESDB stand-in: subscribeToStream', () => {
  it('from a revision: delivers later events, caughtUp, then live events', async () => {
    const stream = newStream('sub-stream');
    await client.appendToStream(
      stream,
      [0, 1, 2].map((i) => jsonEvent({ type: `S${i}`, data: { i } })),
    );
    const subscription = client.subscribeToStream(stream, { fromRevision: 0n });
    const rec = record(subscription);
    try {
      await eventually(() => rec.seq.includes('caughtUp'), 'caughtUp');
      expect(rec.events().map((e) => e.event!.revision)).toEqual([1n, 2n]);
      await client.appendToStream(stream, jsonEvent({ type: 'S3', data: { i: 3 } }), { expectedRevision: 2n });
      await eventually(() => rec.events().length === 3, 'live stream event');
      expect(rec.seq.map((x) => (x === 'caughtUp' ? x : x.event!.type))).toEqual(['S1', 'S2', 'caughtUp', 'S3']);
    } finally {
      await subscription.unsubscribe();
    }
  });
});

describe('ESDB stand-in: readStream direction constants', () => {
  it('FORWARDS is the default direction', async () => {
    const stream = newStream('dir');
    await client.appendToStream(stream, [jsonEvent({ type: 'A', data: {} }), jsonEvent({ type: 'B', data: {} })]);
    const explicit = await collect(client.readStream(stream, { direction: FORWARDS, fromRevision: START }));
    expect(explicit.map((e) => e.event!.type)).toEqual(['A', 'B']);
  });
});

describe('ESDB stand-in: close()', () => {
  it('ends live subscriptions cleanly, releases the port, and a new stand-in can bind it via opts.port', async () => {
    const other = await startEsdbStandIn();
    const c = EventStoreDBClient.connectionString(other.connectionString);
    try {
      await c.appendToStream('closing', jsonEvent({ type: 'A', data: {} })); // opens the batch-append stream
      const subscription = c.subscribeToAll({ fromPosition: START });
      const rec = record(subscription);
      const errors: unknown[] = [];
      let ended = false;
      subscription.on('error', (e) => errors.push(e));
      subscription.on('end', () => (ended = true));
      await eventually(() => rec.seq.includes('caughtUp'), 'caughtUp');

      await other.close();
      await eventually(() => ended, 'end of the subscription');
      expect(errors).toEqual([]);
      await expect(c.appendToStream('closing', jsonEvent({ type: 'B', data: {} }))).rejects.toBeInstanceOf(Error);
    } finally {
      await c.dispose();
    }

    const again = await startEsdbStandIn({ port: other.port });
    const c2 = EventStoreDBClient.connectionString(again.connectionString);
    try {
      expect(again.port).toBe(other.port);
      // A fresh stand-in has a fresh log: only the system event.
      const all = await collect(c2.readAll());
      expect(all.map((e) => e.event!.streamId)).toEqual(['$settings']);
    } finally {
      await c2.dispose();
      await again.close();
    }
  });
});

describe('ESDB stand-in: dropConnections() and refuseCalls()', () => {
  it('dropConnections() cuts open calls with an error (no normal end), keeps the log and serves again on the same port', async () => {
    const other = await startEsdbStandIn();
    const c = EventStoreDBClient.connectionString(other.connectionString);
    try {
      await c.appendToStream('dropping', jsonEvent({ type: 'A', data: {} }));
      const subscription = c.subscribeToAll({ fromPosition: START, filter: excludeSystemEvents() });
      const rec = record(subscription);
      const errors: unknown[] = [];
      let ended = false;
      subscription.on('error', (e) => errors.push(e));
      subscription.on('end', () => (ended = true));
      await eventually(() => rec.seq.includes('caughtUp'), 'caughtUp');

      await other.dropConnections({ downForMs: 50 });
      await eventually(() => errors.length > 0, 'the error on the subscription');
      expect(ended).toBe(false);
      // The client opens a new connection; the log is the one it had.
      let appended = false;
      for (let attempt = 0; attempt < 50 && !appended; attempt++) {
        try {
          await c.appendToStream('dropping', jsonEvent({ type: 'B', data: {} }));
          appended = true;
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      expect(appended).toBe(true);
      const events = await collect(c.readStream('dropping'));
      expect(events.map((e) => e.event!.type)).toEqual(['A', 'B']);
    } finally {
      await c.dispose();
      await other.close();
    }
  });

  it('refuseCalls(ms) answers new calls UNAVAILABLE until it runs out or refuseCalls(0)', async () => {
    const other = await startEsdbStandIn();
    const c = EventStoreDBClient.connectionString(other.connectionString);
    try {
      await c.appendToStream('refusing', jsonEvent({ type: 'A', data: {} }));
      other.refuseCalls(60_000);
      await expectRejection(collect(c.readStream('refusing')), UnavailableError);
      expect(other.refused).toBeGreaterThan(0);
      other.refuseCalls(0);
      expect((await collect(c.readStream('refusing'))).map((e) => e.event!.type)).toEqual(['A']);
    } finally {
      await c.dispose();
      await other.close();
    }
  });
});
