import { randomUUID } from 'node:crypto';
import { InvalidAppendError, WrongExpectedRevisionError } from '../event-store.errors';
import type { EventStore, NewEvent, StoredEvent } from '../event-store.port';

export interface ContractTarget {
  readonly store: EventStore;
  /** Pins the clock that stamps recordedAt (null: the real clock again); not on a real server. */
  readonly pinClock?: (at: Date | null) => void;
  /** Closes the store and releases what the target made (files, servers). */
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** The target offers pinClock: runs the clock-steps-back case. */
  readonly pinnableClock?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ev(type: string, data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): NewEvent {
  return { eventId: randomUUID(), type, data: data as never, metadata: metadata as never };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every field of the port's StoredEvent, each read on its own (no serialisation). */
function fieldByField(e: StoredEvent): Record<string, unknown> {
  const { position, streamId, revision, eventId, type, schemaVersion, data, metadata, recordedAt } = e;
  return { position, streamId, revision, eventId, type, schemaVersion, data, metadata, recordedAt };
}

/**
 * The behaviour every adapter must show. Streams are unique per test, so the suite also runs
 * against a shared server that already holds other events.
 */
export function describeEventStoreContract(
  name: string,
  open: () => Promise<ContractTarget>,
  options: ContractOptions = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    let target: ContractTarget;
    let store: EventStore;
    const stream = (prefix: string) => `${prefix}-${randomUUID()}`;

    beforeAll(async () => {
      target = await open();
      store = target.store;
    });
    afterAll(async () => {
      await target?.dispose();
    });

    it('stores every field and reads it back', async () => {
      const s = stream('fields');
      const e: NewEvent = {
        eventId: randomUUID(),
        type: 'ServiceDelivered',
        schemaVersion: 2,
        data: { amountCents: 123456, note: 'Visagino – slauga', nested: { list: [1, 'two', null, true] } },
        metadata: { actor: { subject: 'u1', role: 'partner-submitter' }, correlationId: 'c-1' },
      };
      const before = Date.now();
      const r = await store.append(s, [e], 'no_stream');
      expect(r).toEqual({ streamId: s, revision: 0, position: expect.any(Number) });
      expect(r.position).toBeGreaterThan(0);
      const [stored] = await store.readStream(s);
      expect(stored).toEqual({
        position: r.position,
        streamId: s,
        revision: 0,
        eventId: e.eventId,
        type: 'ServiceDelivered',
        schemaVersion: 2,
        data: e.data,
        metadata: e.metadata,
        recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(Date.parse(stored!.recordedAt)).toBeGreaterThanOrEqual(before - 60_000);
      const defaulted = await store.append(s, [ev('Plain')], 0);
      expect((await store.readStream(s, { fromRevision: defaulted.revision }))[0]!.schemaVersion).toBe(1);
    });

    describe('expected revision', () => {
      it('no_stream: accepts a new stream, refuses an existing one', async () => {
        const s = stream('nostream');
        await store.append(s, [ev('A')], 'no_stream');
        const err = await store.append(s, [ev('B')], 'no_stream').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err).toMatchObject({ streamId: s, expected: 'no_stream', actual: 0 });
      });

      it('stream_exists: refuses a missing stream, accepts an existing one', async () => {
        const s = stream('exists');
        const err = await store.append(s, [ev('A')], 'stream_exists').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err).toMatchObject({ streamId: s, expected: 'stream_exists', actual: null });
        expect(await store.readStream(s)).toEqual([]);
        await store.append(s, [ev('A')], 'any');
        const r = await store.append(s, [ev('B')], 'stream_exists');
        expect(r.revision).toBe(1);
      });

      it('exact: accepts the current revision, refuses a stale or future one', async () => {
        const s = stream('exact');
        await store.append(s, [ev('A'), ev('B')], 'no_stream');
        const stale = await store.append(s, [ev('C')], 0).catch((e: unknown) => e);
        expect(stale).toMatchObject({ name: 'WrongExpectedRevisionError', expected: 0, actual: 1 });
        const future = await store.append(s, [ev('C')], 5).catch((e: unknown) => e);
        expect(future).toMatchObject({ name: 'WrongExpectedRevisionError', expected: 5, actual: 1 });
        const missing = await store.append(stream('missing'), [ev('C')], 0).catch((e: unknown) => e);
        expect(missing).toMatchObject({ name: 'WrongExpectedRevisionError', expected: 0, actual: null });
        const ok = await store.append(s, [ev('C')], 1);
        expect(ok.revision).toBe(2);
        expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('any: appends whatever the state', async () => {
        const s = stream('any');
        expect((await store.append(s, [ev('A')], 'any')).revision).toBe(0);
        expect((await store.append(s, [ev('B')], 'any')).revision).toBe(1);
      });
    });

    it('concurrent appends with the same expected revision: exactly one wins', async () => {
      const s = stream('race');
      await store.append(s, [ev('Start')], 'no_stream');
      const contenders = Array.from({ length: 12 }, (_, i) => store.append(s, [ev(`Try${i}`)], 0));
      const settled = await Promise.allSettled(contenders);
      const won = settled.filter((x) => x.status === 'fulfilled');
      const lost = settled.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(11);
      for (const l of lost) expect(l.reason).toBeInstanceOf(WrongExpectedRevisionError);
      const events = await store.readStream(s);
      expect(events.map((e) => e.revision)).toEqual([0, 1]);
    });

    it('re-appending stored event ids is a no-op answered with the original result', async () => {
      const s = stream('idem');
      const start = await store.headPosition();
      const batch = [ev('A', { n: 1 }), ev('B', { n: 2 })];
      const first = await store.append(s, batch, 'no_stream');
      const again = await store.append(s, batch, 'no_stream');
      expect(again).toEqual(first);
      const viaAny = await store.append(s, batch, 'any');
      expect(viaAny).toEqual(first);
      expect(await store.readStream(s)).toHaveLength(2);
      const feed = (await store.readAll({ after: start })).filter((e) => e.streamId === s);
      expect(feed.map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
      const single = ev('C');
      const r1 = await store.append(s, [single], 1);
      const r2 = await store.append(s, [single], 1);
      expect(r2).toEqual(r1);
      expect(await store.readStream(s)).toHaveLength(3);
    });

    it('reads a stream forwards, backwards, from a revision and with a maximum count', async () => {
      const s = stream('read');
      await store.append(
        s,
        ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => ev(t)),
        'no_stream',
      );
      const types = (es: StoredEvent[]) => es.map((e) => e.type);
      expect(types(await store.readStream(s))).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
      expect(types(await store.readStream(s, { direction: 'backwards' }))).toEqual(['E4', 'E3', 'E2', 'E1', 'E0']);
      expect(types(await store.readStream(s, { fromRevision: 2, maxCount: 2 }))).toEqual(['E2', 'E3']);
      expect(types(await store.readStream(s, { direction: 'backwards', fromRevision: 3, maxCount: 2 }))).toEqual([
        'E3',
        'E2',
      ]);
      expect(await store.readStream(stream('never'))).toEqual([]);
      // Reading on from past the end (what an incremental fold does when nothing is new) is empty.
      expect(await store.readStream(s, { fromRevision: 5 })).toEqual([]);
      expect(await store.readStream(stream('never'), { fromRevision: 3 })).toEqual([]);
      expect(await store.streamRevision(s)).toBe(4);
      expect(await store.streamRevision(stream('never'))).toBeNull();
    });

    it('orders the global feed by append, across streams, with strictly increasing positions', async () => {
      const a = stream('feedA');
      const b = stream('feedB');
      const start = await store.headPosition();
      const r1 = await store.append(a, [ev('A1')], 'no_stream');
      const r2 = await store.append(b, [ev('B1'), ev('B2')], 'no_stream');
      const r3 = await store.append(a, [ev('A2')], 0);
      expect(r1.position).toBeGreaterThan(start);
      expect(r2.position).toBeGreaterThan(r1.position);
      expect(r3.position).toBeGreaterThan(r2.position);
      expect(await store.headPosition()).toBeGreaterThanOrEqual(r3.position);
      const mine = (await store.readAll({ after: start })).filter((e) => e.streamId === a || e.streamId === b);
      expect(mine.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.position).toBeGreaterThan(mine[i - 1]!.position);
      expect(mine[mine.length - 1]!.position).toBe(r3.position);
      expect(mine[2]!.position).toBe(r2.position);
      const afterFirst = (await store.readAll({ after: r1.position })).filter(
        (e) => e.streamId === a || e.streamId === b,
      );
      expect(afterFirst.map((e) => e.type)).toEqual(['B1', 'B2', 'A2']);
      const limited = await store.readAll({ after: start, maxCount: 2 });
      expect(limited).toHaveLength(2);
      const backwards = (await store.readAll({ direction: 'backwards', before: r3.position + 1, maxCount: 50 })).filter(
        (e) => e.streamId === a || e.streamId === b,
      );
      expect(backwards.map((e) => e.type)).toEqual(['A2', 'B2', 'B1', 'A1']);
    });

    it('appendMany writes several streams and answers each', async () => {
      const a = stream('manyA');
      const b = stream('manyB');
      await store.append(b, [ev('B0')], 'no_stream');
      const results = await store.appendMany([
        { streamId: a, events: [ev('A0'), ev('A1')], expectedRevision: 'no_stream' },
        { streamId: b, events: [ev('B1')], expectedRevision: 0 },
      ]);
      expect(results.map((r) => [r.streamId, r.revision])).toEqual([
        [a, 1],
        [b, 1],
      ]);
      expect(results[1]!.position).toBeGreaterThan(results[0]!.position);
      expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A0', 'A1']);
      expect((await store.readStream(b)).map((e) => e.type)).toEqual(['B0', 'B1']);
    });

    it('appendMany with one stale part: atomic adapters write nothing', async () => {
      const a = stream('manyFailA');
      const b = stream('manyFailB');
      await store.append(b, [ev('B0'), ev('B1')], 'no_stream');
      const err = await store
        .appendMany([
          { streamId: a, events: [ev('A0')], expectedRevision: 'no_stream' },
          { streamId: b, events: [ev('B2')], expectedRevision: 0 },
        ])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(b)).toHaveLength(2);
      if (store.atomicMultiStream) expect(await store.readStream(a)).toEqual([]);
    });

    it('appendMany with conditions: commits while the named streams stand where the decision read them', async () => {
      const a = stream('condA');
      const project = stream('condProject');
      await store.append(project, [ev('P0')], 'no_stream');
      await store.appendMany(
        [{ streamId: a, events: [ev('A0')], expectedRevision: 'no_stream' }],
        [{ streamId: project, expectedRevision: 0 }],
      );
      // The project moved (a lock): a decision made on revision 0 is refused whole.
      await store.append(project, [ev('P1')], 0);
      const err = await store
        .appendMany(
          [{ streamId: a, events: [ev('A1')], expectedRevision: 0 }],
          [{ streamId: project, expectedRevision: 0 }],
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongExpectedRevisionError);
      expect((err as WrongExpectedRevisionError).streamId).toBe(project);
      expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A0']);
      expect((await store.readStream(project)).map((e) => e.type)).toEqual(['P0', 'P1']);
    });

    it('rejects malformed appends without writing', async () => {
      const s = stream('bad');
      await expect(store.append(s, [], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.append(s, [{ eventId: 'not-a-uuid', type: 'A', data: {} }], 'any')).rejects.toBeInstanceOf(
        InvalidAppendError,
      );
      const dup = ev('A');
      await expect(store.append(s, [dup, dup], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.append('$system', [ev('A')], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.append(s, [ev('A')], -1)).rejects.toBeInstanceOf(InvalidAppendError);
      expect(await store.readStream(s)).toEqual([]);
    });

    it('headPositionAt: the head as it stood at an instant', async () => {
      const s = stream('asof');
      const before = await store.headPosition();
      // A few milliseconds apart, so every event has its own recordedAt.
      await sleep(5);
      const a = await store.append(s, [ev('A')], 'no_stream');
      await sleep(5);
      const b = await store.append(s, [ev('B')], 0);
      await sleep(5);
      const c = await store.append(s, [ev('C')], 1);
      const [ea, eb, ec] = await store.readStream(s);
      const at = (e: StoredEvent | undefined, deltaMs = 0) => new Date(Date.parse(e!.recordedAt) + deltaMs);
      expect(await store.headPositionAt(new Date(0))).toBe(0);
      expect(await store.headPositionAt(at(ea, -1))).toBe(before);
      expect(await store.headPositionAt(at(ea))).toBe(a.position);
      expect(await store.headPositionAt(at(eb, -1))).toBe(a.position);
      expect(await store.headPositionAt(at(eb))).toBe(b.position);
      expect(await store.headPositionAt(at(ec, -1))).toBe(b.position);
      expect(await store.headPositionAt(at(ec))).toBe(c.position);
      expect(await store.headPositionAt(at(ec, 86_400_000))).toBe(c.position);
      await expect(store.headPositionAt(new Date(Number.NaN))).rejects.toBeInstanceOf(RangeError);
    });

    it('subscription catches up, signals it, then delivers live events in order', async () => {
      const s = stream('sub');
      const start = await store.headPosition();
      await store.append(s, [ev('H0'), ev('H1'), ev('H2')], 'no_stream');
      const seen: StoredEvent[] = [];
      let caughtUpAt: number | null = null;
      let seenWhenCaughtUp = -1;
      const sub = store.subscribeToAll({
        after: start,
        onEvent: async (e) => {
          if (e.streamId !== s) return;
          await new Promise((r) => setTimeout(r, 2)); // a slow consumer must still see order
          seen.push(e);
        },
        onCaughtUp: (p) => {
          caughtUpAt = p;
          seenWhenCaughtUp = seen.length;
        },
      });
      try {
        await waitFor(() => caughtUpAt !== null, 'caught-up signal');
        expect(seenWhenCaughtUp).toBe(3);
        await store.append(s, [ev('L3')], 2);
        await store.append(s, [ev('L4'), ev('L5')], 3);
        await waitFor(() => seen.length === 6, 'live events');
        expect(seen.map((e) => e.type)).toEqual(['H0', 'H1', 'H2', 'L3', 'L4', 'L5']);
        expect(seen.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      } finally {
        await sub.close();
      }
    });

    it('calls no handler before subscribeToAll has returned the subscription', async () => {
      const s = stream('early');
      const before = await store.headPosition();
      await store.append(s, [ev('A')], 'no_stream');
      const head = await store.headPosition();
      for (const after of [before, head]) {
        let returned = false;
        const calls: string[] = [];
        const sub = store.subscribeToAll({
          after,
          onEvent: (e) => {
            if (e.streamId === s) calls.push(returned ? 'event' : 'event inside subscribeToAll');
          },
          onCaughtUp: () => void calls.push(returned ? 'caught up' : 'caught up inside subscribeToAll'),
        });
        returned = true;
        try {
          await waitFor(() => calls.includes('caught up') || calls.length > 2, 'caught-up signal');
          expect(calls).toEqual(after === before ? ['event', 'caught up'] : ['caught up']);
        } finally {
          await sub.close();
        }
      }
    });

    it('a feed event carries the same fields and metadata as the stream read, serialised too', async () => {
      const s = stream('feedmeta');
      const start = await store.headPosition();
      const written = ev(
        'M',
        { n: 7, note: 'Ūla' },
        { actor: { subject: 'u1', role: 'agency-auditor' }, correlationId: 'c-9' },
      );
      await store.append(s, [written], 'no_stream');
      let fed: StoredEvent | null = null;
      const sub = store.subscribeToAll({
        after: start,
        onEvent: (e) => {
          if (e.streamId === s) fed = e;
        },
      });
      try {
        await waitFor(() => fed !== null, 'the event in the feed');
      } finally {
        await sub.close();
      }
      const [read] = await store.readStream(s);
      const got = fed as unknown as StoredEvent;
      expect(got.metadata).toEqual(written.metadata);
      expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(read)));
      expect(JSON.parse(JSON.stringify(got)).metadata).toEqual(written.metadata);
    });

    it('hands over plain values: kept, spread or cloned, an event reads the same after close()', async () => {
      // A store of its own: this case closes it.
      const own = await open();
      const s = stream('plain');
      const written = [
        ev('P', { n: 1, note: 'Ūla' }, { actor: { subject: 'u1', role: 'agency-auditor' }, correlationId: 'c-p' }),
        ev('Q', { list: [1, null] }, { correlationId: 'c-q' }),
      ];
      let handedOver: StoredEvent[];
      let asRead: Record<string, unknown>[];
      try {
        const start = await own.store.headPosition();
        await own.store.append(s, written, 'no_stream');
        const fed: StoredEvent[] = [];
        const sub = own.store.subscribeToAll({
          after: start,
          onEvent: (e) => {
            if (e.streamId === s) fed.push(e);
          },
        });
        try {
          await waitFor(() => fed.length === 2, 'the events in the feed');
        } finally {
          await sub.close();
        }
        const all = (await own.store.readAll({ after: start })).filter((e) => e.streamId === s);
        handedOver = [...fed, ...(await own.store.readStream(s)), ...all];
        expect(handedOver).toHaveLength(6);
        asRead = handedOver.map(fieldByField);
      } catch (e) {
        await own.dispose();
        throw e;
      }
      const spreadBefore = handedOver.map((e) => ({ ...e }));
      const clonedBefore = handedOver.map((e) => structuredClone(e));
      await own.dispose();
      handedOver.forEach((e, i) => {
        const expected = asRead[i]!;
        expect(expected.metadata).toEqual(written[i % 2]!.metadata);
        expect(Object.keys(e).sort()).toEqual(Object.keys(expected).sort());
        for (const copy of [e, spreadBefore[i], clonedBefore[i], { ...e }, structuredClone(e)])
          expect(fieldByField(copy!)).toEqual(expected);
        expect(JSON.parse(JSON.stringify(e))).toEqual(expected);
      });
    });

    it('resumes from a checkpoint without losing or repeating events', async () => {
      const s = stream('resume');
      const start = await store.headPosition();
      for (let i = 0; i < 10; i++) await store.append(s, [ev(`E${i}`)], i === 0 ? 'no_stream' : i - 1);
      const firstRun: StoredEvent[] = [];
      let checkpoint = start;
      const sub1 = store.subscribeToAll({
        after: start,
        onEvent: (e) => {
          if (firstRun.length >= 4) return; // stop processing: the checkpoint is not advanced
          if (e.streamId === s) firstRun.push(e);
          checkpoint = e.position;
        },
      });
      await waitFor(() => firstRun.length === 4, 'first four events');
      await sub1.close();
      for (let i = 10; i < 13; i++) await store.append(s, [ev(`E${i}`)], i - 1);
      const secondRun: StoredEvent[] = [];
      const sub2 = store.subscribeToAll({
        after: checkpoint,
        onEvent: (e) => {
          if (e.streamId === s) secondRun.push(e);
        },
      });
      try {
        await waitFor(() => secondRun.length >= 9, 'remaining events');
        await new Promise((r) => setTimeout(r, 100));
        const all = [...firstRun, ...secondRun].map((e) => e.type);
        expect(all).toEqual(Array.from({ length: 13 }, (_, i) => `E${i}`));
      } finally {
        await sub2.close();
      }
    });

    it('reports an error thrown by the handler and stops', async () => {
      const s = stream('boom');
      const start = await store.headPosition();
      await store.append(s, [ev('A'), ev('B')], 'no_stream');
      const seen: string[] = [];
      let failure: Error | null = null;
      const sub = store.subscribeToAll({
        after: start,
        onEvent: (e) => {
          if (e.streamId !== s) return;
          seen.push(e.type);
          if (e.type === 'A') throw new Error('handler failed');
        },
        onError: (err) => {
          failure = err;
        },
      });
      try {
        await waitFor(() => failure !== null, 'error callback');
        expect((failure as unknown as Error).message).toBe('handler failed');
        expect(seen).toEqual(['A']);
      } finally {
        await sub.close();
      }
    });

    // Keep this case last: it leaves events stamped ten days ahead, which would end the prefix of
    // any instant asked about by a later case.
    (options.pinnableClock ? it : it.skip)(
      'headPositionAt when a clock steps back: the prefix ends before the first event recorded after the instant',
      async () => {
        const s = stream('clockstep');
        const before = await store.headPosition();
        const base = Math.ceil((Date.now() + 10 * 86_400_000) / 1000) * 1000;
        // Offsets from base: the third event's clock stepped back 30 s.
        const stamps = [0, 60_000, 30_000, 90_000];
        const positions: number[] = [];
        try {
          for (const [i, offset] of stamps.entries()) {
            target.pinClock!(new Date(base + offset));
            positions.push((await store.append(s, [ev(`E${i}`)], i === 0 ? 'no_stream' : i - 1)).position);
          }
        } finally {
          target.pinClock!(null);
        }
        expect((await store.readStream(s)).map((e) => Date.parse(e.recordedAt) - base)).toEqual(stamps);
        const [p1, , p3, p4] = positions;
        const at = (offset: number) => store.headPositionAt(new Date(base + offset));
        expect(await at(-1)).toBe(before);
        expect(await at(0)).toBe(p1);
        // E3 was stamped +30 s, but after E2 (+60 s): it is not in the prefix of +30 s.
        expect(await at(30_000)).toBe(p1);
        expect(await at(59_999)).toBe(p1);
        expect(await at(60_000)).toBe(p3);
        expect(await at(89_999)).toBe(p3);
        expect(await at(90_000)).toBe(p4);
      },
    );
  });
}
