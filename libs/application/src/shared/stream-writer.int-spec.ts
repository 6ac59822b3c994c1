import { randomUUID } from 'node:crypto';
import { DomainNotFoundError } from '@ihl/domain';
import { SqliteEventStore, type StreamAppend, type StreamCondition } from '@ihl/event-store';
import { ProjectContext } from './project-context';
import type { RequestContext } from './request-context';
import type { RequestFingerprint } from './request-fingerprint';
import type { StreamSpec } from './stream-command';
import { StreamWriter } from './stream-writer';
import { IdempotencyConflictError, PreconditionFailedError } from './write-errors';

const STREAM = 'tally-1';
type Counted = { type: 'Counted'; data: { n: number } };

/** Before its first commit, another writer appends to the same stream (a lost race). */
class RacingStore extends SqliteEventStore {
  raced = false;
  override async appendMany(appends: readonly StreamAppend[], conditions?: readonly StreamCondition[]) {
    if (!this.raced) {
      this.raced = true;
      await this.append(STREAM, [{ eventId: randomUUID(), type: 'Counted', data: { n: -1 } }], 'any');
    }
    return super.appendMany(appends, conditions);
  }
}

function setup(store = new SqliteEventStore({ file: ':memory:' })) {
  const writer = new StreamWriter(
    store,
    { now: () => new Date('2024-06-15T10:00:00Z') },
    { newId: () => randomUUID() },
    new ProjectContext(store),
  );
  let decisions = 0;
  /** Counts its events; each decision appends the next count. */
  const tally = (overrides: Partial<StreamSpec<number, Counted>> = {}): StreamSpec<number, Counted> => ({
    streamId: STREAM,
    fold: (events) => events.length,
    decide: (n) => {
      decisions++;
      return [{ type: 'Counted', data: { n } }];
    },
    ...overrides,
  });
  return { store, writer, tally, decisions: () => decisions };
}

const fingerprint = (value: string): RequestFingerprint => ({ value: () => value, matches: (s) => s === value });
const ctx = (extra: Partial<RequestContext> = {}): RequestContext => ({
  actor: { subject: 'admin-1', role: 'admin' },
  correlationId: 'c-1',
  ...extra,
});

describe('StreamWriter: the one write path', () => {
  it("appends at the revision it read, with the schema version and the request's metadata", async () => {
    const { store, writer, tally } = setup();
    const first = await writer.write(ctx({ idempotencyKey: 'k-1', fingerprint: fingerprint('h-1') }), tally());
    const second = await writer.write(ctx(), tally());
    expect([first.revision, second.revision, second.changed]).toEqual([0, 1, true]);
    const stored = await store.readStream(STREAM);
    expect(stored.map((e) => [e.schemaVersion, e.data])).toEqual([
      [1, { n: 0 }],
      [1, { n: 1 }],
    ]);
    expect(stored[0]!.metadata).toMatchObject({
      eventId: stored[0]!.eventId,
      actor: { subject: 'admin-1', role: 'admin' },
      correlationId: 'c-1',
      idempotencyKey: 'k-1',
      requestHash: 'h-1',
      recordedAt: '2024-06-15T10:00:00.000Z',
    });
  });

  it('answers a repeated Idempotency-Key with the original result without deciding again; another body is a conflict', async () => {
    const { writer, tally, decisions } = setup();
    const keyed = ctx({ idempotencyKey: 'k-1', fingerprint: fingerprint('h-1') });
    const first = await writer.write(keyed, tally());
    const again = await writer.write(keyed, tally());
    expect(again).toEqual({ ...first, changed: false });
    expect(decisions()).toBe(1);
    await expect(
      writer.write(ctx({ idempotencyKey: 'k-1', fingerprint: fingerprint('other') }), tally()),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('runs the guard before the key and If-Match are looked at', async () => {
    const { writer, tally } = setup();
    const keyed = ctx({ idempotencyKey: 'k-1', fingerprint: fingerprint('h-1') });
    await writer.write(keyed, tally());
    const hidden = tally({
      guard: () => {
        throw new DomainNotFoundError('no such tally');
      },
    });
    await expect(writer.write(keyed, hidden)).rejects.toBeInstanceOf(DomainNotFoundError);
    await expect(writer.write(ctx({ expectedRevision: 7 }), hidden)).rejects.toBeInstanceOf(DomainNotFoundError);
  });

  it('refuses a stale If-Match and writes on a current one', async () => {
    const { writer, tally } = setup();
    await writer.write(ctx(), tally());
    await expect(writer.write(ctx({ expectedRevision: 5 }), tally())).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await writer.write(ctx({ expectedRevision: 0 }), tally())).revision).toBe(1);
  });

  it('decides again on the latest state after a concurrent writer, unless the client named a revision', async () => {
    const racing = setup(new RacingStore({ file: ':memory:' }));
    const result = await racing.writer.write(ctx(), racing.tally());
    expect(racing.decisions()).toBe(2);
    expect((await racing.store.readStream(STREAM)).map((e) => e.data)).toEqual([{ n: -1 }, { n: 1 }]);
    expect(result.revision).toBe(1);

    const named = setup(new RacingStore({ file: ':memory:' }));
    await expect(named.writer.write(ctx({ expectedRevision: -1 }), named.tally())).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
  });

  it('answers a decision that changes nothing with the record as it is, appending nothing', async () => {
    const { store, writer, tally } = setup();
    await writer.write(ctx(), tally());
    await writer.write(ctx(), tally());
    const idle = { decide: (): Counted[] => [] };
    expect(await writer.write(ctx(), tally(idle))).toMatchObject({ revision: 1, changed: false });
    expect(await writer.write(ctx(), tally({ ...idle, noopAnswer: 'first' }))).toMatchObject({
      revision: 0,
      changed: false,
    });
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });

  it('commits the appends that belong to a decision with it, or none of them', async () => {
    const { store, writer, tally } = setup();
    const alongside = async (): Promise<StreamAppend[]> => [
      writer.toAppend(ctx(), {
        streamId: 'side-1',
        expectedRevision: 'no_stream',
        decided: [{ type: 'Side', data: {} }],
      }),
    ];
    const written = await writer.write(ctx(), tally({ alongside }));
    expect(written.streamId).toBe(STREAM);
    expect(await store.readStream('side-1')).toHaveLength(1);
    // The side stream exists now: the same append at 'no_stream' fails the whole unit.
    await expect(writer.write(ctx(), tally({ alongside }))).rejects.toThrow();
    expect(await store.readStream(STREAM)).toHaveLength(1);
  });

  it("appends only once the persons' keys are durable, and nothing when they cannot be made so", async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    let release: (() => void) | undefined;
    let fail: ((e: Error) => void) | undefined;
    const persons = {
      keysDurable: () =>
        new Promise<void>((resolve, reject) => {
          release = resolve;
          fail = reject;
        }),
    };
    const writer = new StreamWriter(
      store,
      { now: () => new Date('2024-06-15T10:00:00Z') },
      { newId: () => randomUUID() },
      new ProjectContext(store),
      persons,
    );
    const spec: StreamSpec<number, Counted> = {
      streamId: STREAM,
      fold: (events) => events.length,
      decide: (n) => [{ type: 'Counted', data: { n } }],
    };
    const written = writer.write(ctx(), spec);
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.readStream(STREAM)).toHaveLength(0);
    release!();
    expect((await written).revision).toBe(0);

    const refused = writer.write(ctx(), spec);
    await new Promise((r) => setTimeout(r, 20));
    fail!(new Error('disk full'));
    await expect(refused).rejects.toThrow('disk full');
    expect(await store.readStream(STREAM)).toHaveLength(1);
  });
});
