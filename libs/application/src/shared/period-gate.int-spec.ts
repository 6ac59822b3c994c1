import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EsdbEventStore,
  EventStoreUnavailableError,
  SqliteEventStore,
  WrongExpectedRevisionError,
  type ExpectedRevision,
  type NewEvent,
} from '@ihl/event-store';
import { startEsdbStandIn, type EsdbStandIn } from '../../../../test/esdb-stand-in/esdb-stand-in.server';
import { GATE_EVENT, GATE_HORIZON_MS, LockIntendedError, PeriodGate, gateStreamId } from './period-gate';
import { readFileSync } from 'node:fs';
import { parseProjectDefinition, projectStreamId } from '@ihl/domain';
import { ProjectContext } from './project-context';
import type { StreamSpec } from './stream-command';
import { StreamWriter } from './stream-writer';

// The gate's three rules, one at a time and without races, over real gRPC to the stand-in: a lock
// waits for the writes that entered before it; a write that finds a lock intended on its state
// decides again, once that lock has left the gate; an entry or intent a crashed process left behind
// stops counting after the horizon; a write whose gate exit fails keeps its answer.

/** The stand-in, except that leaving the gate fails (the connection lost at that moment). */
class LeaveFailsStore extends EsdbEventStore {
  override async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision) {
    if (events.some((e) => e.type === GATE_EVENT.left))
      throw new EventStoreUnavailableError(new Error('connection lost'));
    return super.append(streamId, events, expected);
  }
}

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

  it('a write that meets a lock intended on its state has left the gate, and waits until that lock has left', async () => {
    const g = gate();
    const lock = await g.pass({ projectCode: 'E', revision: 2, lockOf: '2024-Q2' });
    const met: unknown = await g.pass({ projectCode: 'E', revision: 2 }).catch((e: unknown) => e);
    expect(met).toBeInstanceOf(LockIntendedError);
    const waiting = g.awaitLocks((met as LockIntendedError).locks);
    // The write left before it waits: another lock does not wait for it.
    const other = await g.pass({ projectCode: 'E', revision: 2, lockOf: '2024-Q1' });
    expect(await settled(waiting, 300)).toBe(false);
    await g.leave(lock!);
    expect(await waiting).toBe(true);
    // Left and landed: decided again on the state after the lock, the write passes.
    await g.leave(other!);
    const again = await g.pass({ projectCode: 'E', revision: 3 });
    expect(again).not.toBeNull();
    await g.leave(again!);
  });

  it('a write waiting for a lock whose process crashed stops waiting once the gate has moved past the horizon', async () => {
    const g = gate();
    serverNow = Date.now();
    await g.pass({ projectCode: 'F', revision: 1, lockOf: '2024-Q1' }); // never leaves
    const met: unknown = await g.pass({ projectCode: 'F', revision: 1 }).catch((e: unknown) => e);
    expect(met).toBeInstanceOf(LockIntendedError);
    const waiting = g.awaitLocks((met as LockIntendedError).locks);
    expect(await settled(waiting, 300)).toBe(false);
    serverNow += GATE_HORIZON_MS + 1;
    const later = await g.pass({ projectCode: 'F', revision: 1 });
    expect(await waiting).toBe(true);
    await g.leave(later!);
  });

  it('a failed exit is counted, not thrown', async () => {
    const failing = new LeaveFailsStore({ connectionString: server.connectionString });
    try {
      const g = new PeriodGate(failing, { now: () => new Date() }, { newId: randomUUID });
      const entry = await g.pass({ projectCode: 'G', revision: 0 });
      expect(await g.leaveQuietly(entry!)).toBe(false);
      expect(g.leavesFailed).toBe(1);
      await expect(g.leave(entry!)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await failing.close();
    }
  });

  it('a lock that landed keeps its answer when its exit from the gate fails (StreamWriter)', async () => {
    const failing = new LeaveFailsStore({ connectionString: server.connectionString });
    try {
      const writer = new StreamWriter(
        failing,
        { now: () => new Date() },
        { newId: randomUUID },
        new ProjectContext(failing),
      );
      const stream = `tally-${randomUUID()}`;
      await failing.append(stream, [{ eventId: randomUUID(), type: 'Counted', data: { n: 0 } }], 'no_stream');
      const spec: StreamSpec<number, { type: 'Counted'; data: { n: number } }> = {
        streamId: stream,
        fold: (events) => events.length,
        decide: (n) => [{ type: 'Counted', data: { n } }],
        lockGate: { projectCode: 'H', periodId: '2024-Q1' },
      };
      const written = await writer.write({ actor: { subject: 'admin-1', role: 'admin' }, correlationId: 'c-h' }, spec);
      expect([written.revision, written.changed]).toEqual([1, true]);
      expect(writer.gateLeavesFailed).toBe(1);
      const gateTypes = (await failing.readStream(gateStreamId('H'))).map((e) => e.type);
      expect(gateTypes).toEqual([GATE_EVENT.lockIntended]);
    } finally {
      await failing.close();
    }
  });

  it('a write into the project waits for a lock intended on its state without spending its retries, then lands (StreamWriter)', async () => {
    const definition = parseProjectDefinition(
      JSON.parse(readFileSync(join(__dirname, '../../../../projects/07-003-P-0001.json'), 'utf8')),
    );
    const code = definition.code;
    await store.append(
      projectStreamId(code),
      [{ eventId: randomUUID(), type: 'ProjectRegistered', data: JSON.parse(JSON.stringify({ definition })) }],
      'no_stream',
    );
    const g = gate();
    const lock = await g.pass({ projectCode: code, revision: 0, lockOf: '2024-Q2' });
    const writer = new StreamWriter(store, { now: () => new Date() }, { newId: randomUUID }, new ProjectContext(store));
    const spec: StreamSpec<number, { type: 'Counted'; data: { n: number } }> = {
      streamId: `tally-${randomUUID()}`,
      fold: (events) => events.length,
      decide: (n) => [{ type: 'Counted', data: { n } }],
    };
    const written = writer.writeInProject(
      { actor: { subject: 'admin-1', role: 'admin' }, correlationId: 'c-w' },
      code,
      () => spec,
    );
    const gateTypes = async () => (await store.readStream(gateStreamId(code))).map((e) => e.type);
    for (const deadline = Date.now() + 60_000; !(await gateTypes()).includes(GATE_EVENT.left);) {
      if (Date.now() > deadline) throw new Error('the write never met the lock');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Room for a write that decided again at once to spin through the gate (it did, before it waited).
    expect(await settled(written, 500)).toBe(false);
    await g.leave(lock!);
    expect(await written).toEqual(expect.objectContaining({ revision: 0, changed: true }));
    // Once when it met the lock, once after the lock had left: no retries in between.
    expect((await gateTypes()).filter((t) => t === GATE_EVENT.entered)).toHaveLength(2);
  });

  it('a process that has not read the gate yet reads it back to the horizon, past its first page', async () => {
    const lock = await gate().pass({ projectCode: 'P', revision: 1, lockOf: '2024-Q2' });
    const entries = Array.from({ length: 300 }, () => ({
      eventId: randomUUID(),
      type: GATE_EVENT.entered,
      data: { ticket: randomUUID(), projectRevision: 2 },
    }));
    await store.append(gateStreamId('P'), entries, 'any');
    await expect(gate().pass({ projectCode: 'P', revision: 1 })).rejects.toBeInstanceOf(LockIntendedError);
    await gate().leave(lock!);
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
