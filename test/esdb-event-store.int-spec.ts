import { randomUUID } from 'node:crypto';
import { EsdbEventStore, type NewEvent } from '@ihl/event-store';
import { describeEventStoreContract } from '../libs/event-store/src/contract/event-store.contract';
import { startEsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';

// With EVENTSTORE_CONNECTION_STRING set, the suite runs against that real EventStoreDB/KurrentDB
// server; otherwise against the gRPC stand-in, which checks the adapter's use of the real client
// over real gRPC but not server semantics.
const real = process.env.EVENTSTORE_CONNECTION_STRING;

describeEventStoreContract(
  real ? 'esdb (real server)' : 'esdb (gRPC stand-in)',
  async () => {
    if (real) {
      const store = new EsdbEventStore({ connectionString: real });
      return { store, dispose: () => store.close() };
    }
    let pinned: Date | null = null;
    const server = await startEsdbStandIn({ clock: () => pinned?.getTime() ?? Date.now() });
    const store = new EsdbEventStore({ connectionString: server.connectionString });
    return {
      store,
      pinClock: (at) => (pinned = at),
      dispose: async () => {
        await store.close();
        await server.close();
      },
    };
  },
  // A real server's clock cannot be pinned.
  { pinnableClock: !real },
);

const ev = (type: string): NewEvent => ({ eventId: randomUUID(), type, data: {} });

// The adapter reads backwards only as far as the clock may have stepped back: pin where that ends.
(real ? describe.skip : describe)('EsdbEventStore.headPositionAt and its clock bound (gRPC stand-in)', () => {
  it('is exact when the clock stepped back less than maxClockStepBackMs, later beyond it', async () => {
    const base = Date.parse('2030-01-01T00:00:00.000Z');
    let now = base;
    const server = await startEsdbStandIn({ clock: () => now });
    const exact = new EsdbEventStore({ connectionString: server.connectionString });
    const tight = new EsdbEventStore({ connectionString: server.connectionString, maxClockStepBackMs: 10_000 });
    try {
      // Offsets in seconds; the third event's clock stepped back 30 s.
      const positions: number[] = [];
      for (const [i, offset] of [0, 60, 30, 90].entries()) {
        now = base + offset * 1000;
        positions.push((await exact.append('clock', [ev(`E${i}`)], 'any')).position);
      }
      const [p1, , p3] = positions;
      const at45 = new Date(base + 45_000);
      // Prefix of +45 s: E1 only, since E2 (+60 s) comes before E3 (+30 s).
      expect(await exact.headPositionAt(at45)).toBe(p1);
      // With a 10 s bound the backwards read stops at E3 (+30 s, at or before 45 s - 10 s) and never sees E2.
      expect(await tight.headPositionAt(at45)).toBe(p3);
    } finally {
      await exact.close();
      await tight.close();
      await server.close();
    }
  });
});
