import request from 'supertest';
import { activityStreamId } from '@ihl/domain';
import { EsdbEventStore } from '@ihl/event-store';
import { startEsdbStandIn, type EsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';
import { seedProject, startLedgerTestAppOn, url, type LedgerTestApp } from './support/ledger-test-app';

// The api on the EventStoreDB adapter while its server goes away: clients keep writing, each write
// retried with its Idempotency-Key until it is acknowledged, as a client would. The stand-in first
// drops every connection (a crashed node), then refuses calls for a while (a node that is not ready).

const NOW = new Date('2024-06-15T10:00:00Z');
/** A write answered later than this is a hang (recorded as a failure with status 0). */
const REQUEST_BOUND_MS = 20_000;
const WRITERS = 3;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean | Promise<boolean>, what: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await pause(20);
  }
}

interface Failure {
  readonly status: number;
  readonly message: string;
  readonly retryAfter?: string;
}

interface SentWrite {
  readonly key: string;
  readonly title: string;
  answer?: { activityId: string; streamId: string; position: number };
  readonly failures: Failure[];
}

const body = (title: string) => ({ occurredOn: '2024-05-20', audience: 'family-members', title, attendees: 3 });

function startStore(standIn: EsdbStandIn): EsdbEventStore {
  return new EsdbEventStore({
    connectionString: standIn.connectionString,
    resubscribe: { initialDelayMs: 20, maxDelayMs: 200 },
  });
}

describe('outages of EventStoreDB (gRPC stand-in) under writing clients', () => {
  let standIn: EsdbStandIn;
  let t: LedgerTestApp<EsdbEventStore>;
  const sent: SentWrite[] = [];
  let writing = true;

  beforeAll(async () => {
    standIn = await startEsdbStandIn({ clock: () => NOW.getTime() });
    t = await startLedgerTestAppOn(startStore(standIn), NOW);
    await seedProject(t);
  }, 60_000);
  afterAll(async () => {
    writing = false;
    standIn?.refuseCalls(0);
    await t?.close();
    await standIn?.close();
  });

  /** One write, sent again with the same key after each failure until it is acknowledged. */
  async function writeUntilAcknowledged(w: SentWrite): Promise<void> {
    for (;;) {
      try {
        const res = await request(t.base)
          .post(url('/activities/promotion-events'))
          .set(t.as('partnerA'))
          .set('Idempotency-Key', w.key)
          .send(body(w.title))
          .timeout(REQUEST_BOUND_MS);
        if (res.status === 201 || res.status === 200) {
          w.answer = res.body;
          return;
        }
        w.failures.push({
          status: res.status,
          message: String(res.body?.message),
          retryAfter: res.headers['retry-after'],
        });
      } catch (e) {
        w.failures.push({ status: 0, message: e instanceof Error ? e.message : String(e) });
      }
      await pause(30);
    }
  }

  async function writer(n: number): Promise<void> {
    for (let i = 0; writing; i++) {
      const w: SentWrite = { key: `outage-${n}-${i}`, title: `Outage ${n}.${i}`, failures: [] };
      sent.push(w);
      await writeUntilAcknowledged(w);
    }
  }

  const acknowledged = () => sent.filter((w) => w.answer).length;
  const failures = () => sent.flatMap((w) => w.failures);
  const ready = () => request(t.base).get('/health/ready');

  it('answers 503 naming the store while it is away, says so on /health/ready, and loses or doubles nothing', async () => {
    const writers = Array.from({ length: WRITERS }, (_, n) => writer(n));
    const progress = () => `${acknowledged()} acknowledged, failures ${JSON.stringify(failures().slice(-3))}`;

    await waitFor(() => acknowledged() >= 6, progress);
    // A crashed node: every connection cut, none taken for a moment.
    const failedAtDrop = failures().length;
    await standIn.dropConnections({ downForMs: 400 });
    expect(failures().length).toBeGreaterThan(failedAtDrop);
    const afterDrop = acknowledged();
    await waitFor(() => acknowledged() >= afterDrop + 6, progress);

    // A node that answers every call with UNAVAILABLE.
    const failedBefore = failures().length;
    standIn.refuseCalls(60_000);
    await waitFor(() => failures().length >= failedBefore + 3 * WRITERS, progress);
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.failing).toContain('eventStore');
    expect(down.body.checks.eventStore.reason).toMatch(/^the event store does not answer/);
    const refusedAcknowledged = acknowledged();
    standIn.refuseCalls(0);

    await waitFor(() => acknowledged() >= refusedAcknowledged + 6, progress);
    writing = false;
    await Promise.all(writers);

    // Every failure a client saw was a 503 naming the store, with a hint when to retry: no 500, no hang.
    expect(failures().length).toBeGreaterThanOrEqual(3 * WRITERS);
    for (const f of failures()) {
      expect(f).toEqual({
        status: 503,
        message: expect.stringMatching(/^the event store is unavailable/),
        retryAfter: expect.stringMatching(/^\d+$/),
      });
    }

    // Ready again, and the read models reach the head (the subscription came back).
    const head = await t.store.headPosition();
    await waitFor(
      async () => {
        const r = await ready();
        return r.status === 200 && r.body.checks.readModels.reached >= head;
      },
      () => 'ready at the head',
    );

    // Every acknowledged write is stored exactly once, under the stream its key derives.
    const activityEvents = (await t.store.readAll()).filter((e) => e.streamId.startsWith('activity-'));
    expect(activityEvents).toHaveLength(sent.length);
    for (const w of sent) {
      expect(w.answer!.streamId).toBe(activityStreamId(w.answer!.activityId));
      expect(await t.store.readStream(w.answer!.streamId)).toHaveLength(1);
    }
    const listed = await request(t.base).get(url('/activities')).set(t.as('partnerA')).expect(200);
    const listedIds = JSON.stringify(listed.body);
    for (const w of sent) expect(listedIds).toContain(w.answer!.activityId);

    // Retries with the same keys create nothing new and answer the first answer.
    for (const w of sent.slice(0, 10)) {
      const again = await request(t.base)
        .post(url('/activities/promotion-events'))
        .set(t.as('partnerA'))
        .set('Idempotency-Key', w.key)
        .send(body(w.title))
        .expect(200);
      expect(again.body).toEqual(w.answer);
    }
    expect(await t.store.headPosition()).toBe(head);
    // And every stream's hash chain came through whole.
    expect(await t.store.verifyChain()).toMatchObject({ ok: true, fault: null });
  }, 180_000);

  it('figures after the outage equal those of a fresh replica that rebuilds its read models from the log', async () => {
    const fresh = await startLedgerTestAppOn(startStore(standIn), NOW);
    try {
      const head = await t.store.headPosition();
      await waitFor(
        async () => {
          const r = await request(fresh.base).get('/health/ready');
          return r.status === 200 && r.body.checks.readModels.reached >= head;
        },
        () => 'the fresh replica at the head',
      );
      for (const [path, role] of [
        ['/progress', 'auditor'],
        ['/volumes', 'auditor'],
        ['/activities', 'partnerA'],
      ] as const) {
        const live = await request(t.base).get(url(path)).set(t.as(role)).expect(200);
        const rebuilt = await request(fresh.base).get(url(path)).set(fresh.as(role)).expect(200);
        expect(rebuilt.body).toEqual(live.body);
      }
    } finally {
      await fresh.close();
    }
  }, 120_000);
});
