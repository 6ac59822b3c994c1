import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  EsdbEventStore,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type ExpectedRevision,
  type NewEvent,
} from '@ihl/event-store';
import { startEsdbStandIn, type EsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';
import { CODE, seedProject, startLedgerTestAppOn, type LedgerTestApp } from './support/ledger-test-app';
import { sample } from './support/metrics-sample';
import { PERSONS, SERVICE_PATH, serviceBody } from './support/personal-data-scenario';

// `/metrics` on the EventStoreDB adapter, over real gRPC to the stand-in: the appends as the
// adapter saw them answered, the refused ones by reason, and the period gate's failed exits.

const METRICS_TOKEN = 'metrics-scraper-secret-esdb-0123456789abcdef';

/** The stand-in, except that leaving a project's period gate fails while `failLeaves` is on. */
class GateLeaveFailsStore extends EsdbEventStore {
  failLeaves = false;
  override async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision) {
    if (this.failLeaves && events.some((e) => e.type === 'WriteLeftGate'))
      throw new EventStoreUnavailableError(new Error('connection lost'));
    return super.append(streamId, events, expected);
  }
}

describe('GET /metrics on EventStoreDB (gRPC stand-in)', () => {
  let server: EsdbStandIn;
  let t: LedgerTestApp<GateLeaveFailsStore>;
  const scrape = async () =>
    (await request(t.base).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;

  beforeAll(async () => {
    server = await startEsdbStandIn();
    const store = new GateLeaveFailsStore({ connectionString: server.connectionString });
    t = await startLedgerTestAppOn(store, undefined, { LEDGER_METRICS_TOKEN: METRICS_TOKEN });
    await seedProject(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('counts appends and events with the names SQLite uses, and times each append', async () => {
    const before = await scrape();
    const stream = `metrics-${randomUUID()}`;
    const two = [1, 2].map((n) => ({ eventId: randomUUID(), type: 'Counted', data: { n } }));
    await t.store.append(stream, two, 'no_stream');
    const after = await scrape();
    const moved = (series: string) => sample(after, series)! - sample(before, series)!;
    expect(moved('ihl_event_store_appends_total')).toBe(1);
    expect(moved('ihl_event_store_events_total')).toBe(2);
    expect(moved('ihl_event_store_append_duration_seconds_count')).toBe(1);
    expect(sample(after, 'ihl_event_store_appends_total')).toBe(t.store.appendStats().appends);
    expect(after).not.toMatch(/^ihl_event_store_commits_total /m);
  });

  it('counts a refused append by its reason', async () => {
    const stream = `metrics-${randomUUID()}`;
    const conflict = 'ihl_event_store_append_errors_total{reason="conflict"}';
    const before = sample(await scrape(), conflict)!;
    const ev = { eventId: randomUUID(), type: 'Counted', data: { n: 0 } };
    await expect(t.store.append(stream, [ev], 3)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    const after = await scrape();
    expect(sample(after, conflict)).toBe(before + 1);
    expect(sample(after, 'ihl_event_store_append_errors_total{reason="unavailable"}')).toBe(0);
  });

  it("counts a write's failed exit from the project's period gate, and the write keeps its answer", async () => {
    const series = 'ihl_period_gate_leaves_failed_total';
    expect(sample(await scrape(), series)).toBe(0);
    t.store.failLeaves = true;
    try {
      const p = PERSONS[0]!;
      await request(t.base)
        .post(SERVICE_PATH(CODE))
        .set(t.as('partnerA'))
        .send(serviceBody(p.code, p.profile))
        .expect(201);
    } finally {
      t.store.failLeaves = false;
    }
    expect(sample(await scrape(), series)).toBe(1);
  }, 60_000);
});
