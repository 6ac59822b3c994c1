import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsdbEventStore, SqliteEventStore, WrongExpectedRevisionError } from '@ihl/event-store';
import { startEsdbStandIn, type EsdbStandIn } from '../../../../test/esdb-stand-in/esdb-stand-in.server';
import { GATE_HORIZON_MS, PeriodGate, gateStreamId } from './period-gate';

// The gate's three rules, one at a time and without races, over real gRPC to the stand-in: a lock
// waits for the writes that entered before it; a write that finds a lock intended on its state
// decides again; an entry a crashed process left behind stops counting after the horizon.

describe('PeriodGate (EventStoreDB adapter, gRPC stand-in)', () => {
  let server: EsdbStandIn;
  let store: EsdbEventStore;
  let serverNow = Date.now();
  const gate = () => new PeriodGate(store, { now: () => new Date() }, { newId: randomUUID });
  const settled = async (p: Promise<unknown>, ms: number) =>
    Promise.race([p.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

  beforeAll(async () => {
    server = await startEsdbStandIn({ clock: () => serverNow });
    store = new EsdbEventStore({ connectionString: server.connectionString });
  });
  afterAll(async () => {
    await store.close();
    await server.close();
  });

  it('a lock waits until a write that entered before it has left', async () => {
    const g = gate();
    const write = await g.pass({ projectCode: 'A', revision: 3 });
    const lock = g.pass({ projectCode: 'A', revision: 3, lockOf: '2024-Q2' });
    expect(await settled(lock, 300)).toBe(false);
    await g.leave(write!);
    expect(await lock).toEqual(expect.objectContaining({ projectCode: 'A' }));
  });

  it('a write that finds a lock intended on the state it decided on decides again; one decided after it passes', async () => {
    const g = gate();
    const lock = await g.pass({ projectCode: 'B', revision: 5, lockOf: '2024-Q2' });
    await expect(g.pass({ projectCode: 'B', revision: 5 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(g.pass({ projectCode: 'B', revision: 4 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    const later = await g.pass({ projectCode: 'B', revision: 6 });
    expect(later).not.toBeNull();
    await g.leave(later!);
    await g.leave(lock!);
    // The lock has left (landed or given up): the writes pass again and each leaves its mark.
    await g.leave((await g.pass({ projectCode: 'B', revision: 5 }))!);
    const types = (await store.readStream(gateStreamId('B'))).map((e) => e.type);
    expect(types.filter((t) => t === 'WriteEnteredGate')).toHaveLength(4);
    expect(types.filter((t) => t === 'WriteLeftGate')).toHaveLength(5);
  });

  it('an entry whose process crashed (never left) stops holding locks back after the horizon', async () => {
    const g = gate();
    serverNow = Date.now();
    await g.pass({ projectCode: 'C', revision: 1 }); // never leaves
    serverNow += GATE_HORIZON_MS + 1;
    const lock = g.pass({ projectCode: 'C', revision: 1, lockOf: '2024-Q1' });
    expect(await settled(lock, 2000)).toBe(true);
  });
});

describe('PeriodGate on SQLite', () => {
  it('is not used: the transaction is the gate, nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihl-gate-sqlite-'));
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    try {
      const g = new PeriodGate(store, { now: () => new Date() }, { newId: randomUUID });
      expect(await g.pass({ projectCode: 'D', revision: 0, lockOf: '2024-Q1' })).toBeNull();
      expect(await store.headPosition()).toBe(0);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
