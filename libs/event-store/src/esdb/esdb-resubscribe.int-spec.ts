import { randomUUID } from 'node:crypto';
import { startEsdbStandIn, type EsdbStandIn } from '../../../../test/esdb-stand-in/esdb-stand-in.server';
import type { NewEvent, StoredEvent, SubscriptionState } from '../event-store.port';
import { EsdbEventStore } from './esdb-event-store';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(5);
  }
}

const ev = (n: number): NewEvent => ({ eventId: randomUUID(), type: 'Counted', data: { n } });

describe('EsdbEventStore subscription over a connection that drops (gRPC stand-in)', () => {
  let standIn: EsdbStandIn;
  let store: EsdbEventStore;

  beforeEach(async () => {
    standIn = await startEsdbStandIn();
    store = new EsdbEventStore({
      connectionString: standIn.connectionString,
      resubscribe: { initialDelayMs: 20, maxDelayMs: 200 },
    });
  });
  afterEach(async () => {
    await store.close();
    await standIn.close();
  });

  /** Appends `count` events in appends of ten; an append the dropped connection refused is sent again (same ids). */
  async function appendEvents(from: number, count: number, written: string[]): Promise<void> {
    for (let i = from; i < from + count; i += 10) {
      const events = Array.from({ length: Math.min(10, from + count - i) }, (_, k) => ev(i + k));
      for (let attempt = 0; ; attempt++) {
        try {
          await store.append(`counter-${i % 3}`, events, 'any');
          break;
        } catch (e) {
          if (attempt >= 50) throw e;
          await pause(20);
        }
      }
      written.push(...events.map((e) => e.eventId));
    }
  }

  it('resubscribes after the last handled event: every event once, in order, across drops mid catch-up and live', async () => {
    const written: string[] = [];
    await appendEvents(0, 300, written);

    const seen: StoredEvent[] = [];
    const states: SubscriptionState['status'][] = [];
    const errors: Error[] = [];
    let caughtUp = 0;
    const sub = store.subscribeToAll({
      after: 0,
      onEvent: async (e) => {
        seen.push(e);
        // A slow consumer: the drop comes while the catch-up is under way.
        if (seen.length <= 300) await pause(1);
      },
      onCaughtUp: () => void (caughtUp += 1),
      onError: (e) => void errors.push(e),
    });
    let lastReconnecting: SubscriptionState | null = null;
    const watch = setInterval(() => {
      const s = sub.state;
      if (s?.status === 'reconnecting') lastReconnecting = s;
      if (s && states[states.length - 1] !== s.status) states.push(s.status);
    }, 2);
    try {
      // 1. The server goes away in the middle of the catch-up, for a while.
      await waitUntil(() => seen.length >= 100, 'a third of the catch-up');
      expect(seen.length).toBeLessThan(300);
      await standIn.dropConnections({ downForMs: 150 });
      // Appends go on once it is back.
      await appendEvents(300, 100, written);
      await waitUntil(() => seen.length >= 400, 'the catch-up and the first live events');
      expect(caughtUp).toBe(1);
      // While the server was away the subscription said so, with the error that cut it.
      expect(lastReconnecting).toMatchObject({
        status: 'reconnecting',
        attempts: expect.any(Number),
        lastError: expect.any(String),
      });

      // 2. Dropped again while live, and then refused for a while: several tries, then back.
      await standIn.dropConnections();
      standIn.refuseCalls(150);
      await appendEvents(400, 100, written);
      await waitUntil(() => seen.length >= 500, 'the live events after the second drop');
      expect(standIn.refused).toBeGreaterThan(0);
      await waitUntil(() => sub.state?.status === 'running', 'the running state');

      // Nothing more arrives: exactly the events written, once each, in log order.
      await appendEvents(500, 1, written);
      await waitUntil(() => seen.length >= 501, 'the last event');
      expect(seen.map((e) => e.eventId)).toEqual(written);
      expect(new Set(seen.map((e) => e.eventId)).size).toBe(written.length);
      const positions = seen.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(errors).toEqual([]);
      expect(caughtUp).toBe(1);
      expect(states).toContain('reconnecting');
    } finally {
      clearInterval(watch);
      await sub.close();
    }
    expect(sub.state).toEqual({ status: 'stopped' });
  }, 60_000);

  it('a close() while it reconnects stops it, and no handler runs after', async () => {
    const written: string[] = [];
    await appendEvents(0, 5, written);
    const seen: string[] = [];
    const sub = store.subscribeToAll({ after: 0, onEvent: (e) => void seen.push(e.eventId) });
    await waitUntil(() => seen.length === 5, 'the first events');
    standIn.refuseCalls(60_000);
    await standIn.dropConnections();
    await waitUntil(() => sub.state?.status === 'reconnecting', 'the reconnecting state');
    await sub.close();
    expect(sub.state).toEqual({ status: 'stopped' });
    expect(seen).toEqual(written);
  });

  it('an error thrown by the handler still ends the subscription (no resubscription)', async () => {
    const written: string[] = [];
    await appendEvents(0, 3, written);
    let calls = 0;
    let failure: Error | null = null;
    const sub = store.subscribeToAll({
      after: 0,
      onEvent: () => {
        calls += 1;
        throw new Error('handler failed');
      },
      onError: (e) => (failure = e),
    });
    try {
      await waitUntil(() => failure !== null, 'the error callback');
      expect(sub.state).toEqual({ status: 'stopped', error: 'handler failed' });
      expect(calls).toBe(1);
    } finally {
      await sub.close();
    }
  });
});
