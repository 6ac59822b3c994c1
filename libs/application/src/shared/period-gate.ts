import { projectStreamId } from '@ihl/domain';
import {
  WrongExpectedRevisionError,
  backoffDelay,
  type AppendResult,
  type EventStore,
  type StoredEvent,
} from '@ihl/event-store';
import type { Clock, IdGenerator } from './ports';

/**
 * Where a period lock and the writes into its project meet on a store without transactions across
 * streams (EventStoreDB). There a write checks the project's revision and then appends its record:
 * a lock landing in between was not seen. Both now pass through one stream per project, in one
 * order. A write enters the gate (an event) before it appends, and leaves it after (written or
 * not); a lock first states its intent there, waits until every write that entered before it has
 * left, and only then appends. A write that finds, before its own entry, the intent of a lock
 * decided on the same project state (or a later one) leaves, waits until that lock has left the
 * gate (landed or given up), and decides again. So a write that entered first lands before the
 * lock, and one that entered after it sees the lock.
 *
 * Entries and intents older than GATE_HORIZON_MS (by the store's own clock, against the reader's
 * own event or the newest one it has read) are taken as abandoned (a crashed process): a process
 * paused longer than that between its gate event and its append is the case left open
 * (docs/event-store.md).
 */
export const GATE_HORIZON_MS = 10_000;
const PAGE = 256;
/** Waiting for others to leave: looks again after about this, then less often (with jitter), up to MAX_POLL_MS. */
const POLL_MS = 5;
const MAX_POLL_MS = 80;
/** A gate append that keeps meeting other processes' events gives up after this many tries. */
const GATE_APPEND_TRIES = 20;

export const gateStreamId = (projectCode: string): string => `gate-${projectCode}`;

export const GATE_EVENT = {
  entered: 'WriteEnteredGate',
  left: 'WriteLeftGate',
  lockIntended: 'PeriodLockIntended',
} as const;

/** What a write asks of the gate: a write decided on the project at `revision`, or a lock of `lockOf`. */
export interface GatePass {
  readonly projectCode: string;
  readonly revision: number;
  readonly lockOf?: string;
}

export interface GateTicket {
  readonly projectCode: string;
  readonly ticket: string;
}

/** Others' gate events a reader waits to see leave: their tickets, when each was recorded, and where to read on. */
export interface GateWait {
  readonly projectCode: string;
  readonly tickets: ReadonlyMap<string, number>;
  /** The gate stream's revision the reader had read up to. */
  readonly readUpTo: number;
  /** The newest recordedAt (ms) the reader had seen there. */
  readonly newestAt: number;
}

/**
 * A write met the intent of a lock on the state it decided on. It has left the gate already (so the
 * lock need not wait for it); it waits for the lock (`PeriodGate.awaitLocks`) and decides again.
 * A WrongExpectedRevisionError, so a caller that does not wait decides again at once, as before.
 */
export class LockIntendedError extends WrongExpectedRevisionError {
  constructor(
    revision: number,
    readonly locks: GateWait,
  ) {
    super(projectStreamId(locks.projectCode), revision, null);
  }
}

interface GateData {
  readonly ticket: string;
  readonly projectRevision?: number;
  readonly periodId?: string;
}

/** A gate event's data, read field by field (another writer's event could hold anything). */
function gateData(e: StoredEvent): GateData {
  const d = e.data !== null && typeof e.data === 'object' && !Array.isArray(e.data) ? e.data : {};
  return {
    ticket: typeof d.ticket === 'string' ? d.ticket : '',
    ...(typeof d.projectRevision === 'number' ? { projectRevision: d.projectRevision } : {}),
  };
}

/** The gate as a reader saw it: what stands open before its own event, and how far it read. */
interface GateView {
  readonly open: StoredEvent[];
  readonly readUpTo: number;
  readonly newestAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PeriodGate {
  /** Leaves that failed (`leaveQuietly`): each such entry holds the project's locks back until the horizon. */
  private failedLeaves = 0;
  /** Per project: the gate stream's revision after this process's last append there, and its queue of appends. */
  private readonly heads = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();
  /** Per project: the gate stream's newest events this process has read, in revision order without gaps. */
  private readonly windows = new Map<string, StoredEvent[]>();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Only stores that cannot commit several streams at once need it; on SQLite the transaction is the gate. */
  get needed(): boolean {
    return !this.store.atomicMultiStream;
  }

  get leavesFailed(): number {
    return this.failedLeaves;
  }

  /**
   * Enters (or, for a lock, states its intent and waits). Throws LockIntendedError (a write that met
   * a lock's intent) or WrongExpectedRevisionError (a lock that waited too long) to decide again;
   * either way it has left the gate first.
   */
  async pass(p: GatePass): Promise<GateTicket | null> {
    if (!this.needed) return null;
    const ticket = { projectCode: p.projectCode, ticket: this.ids.newId() };
    const data: GateData = {
      ticket: ticket.ticket,
      projectRevision: p.revision,
      ...(p.lockOf ? { periodId: p.lockOf } : {}),
    };
    const type = p.lockOf ? GATE_EVENT.lockIntended : GATE_EVENT.entered;
    const { position } = await this.append(p.projectCode, type, data);
    let refusal: WrongExpectedRevisionError | null;
    try {
      refusal = p.lockOf
        ? await this.waitForWritesBefore(ticket, p, position)
        : await this.noLockBefore(ticket, p, position);
    } catch (e) {
      // The entry would hold the project's locks back until the horizon: leave if the store lets us.
      await this.leaveQuietly(ticket);
      throw e;
    }
    if (!refusal) return ticket;
    await this.leave(ticket);
    throw refusal;
  }

  async leave(t: GateTicket): Promise<void> {
    await this.append(t.projectCode, GATE_EVENT.left, { ticket: t.ticket });
  }

  /**
   * Leaves, and says whether it could. A failure is counted and not thrown: the caller's write has
   * landed or been refused by then, and an entry never left is taken as abandoned after the horizon.
   */
  async leaveQuietly(t: GateTicket): Promise<boolean> {
    try {
      await this.leave(t);
      return true;
    } catch {
      this.failedLeaves += 1;
      return false;
    }
  }

  /**
   * After LockIntendedError: waits (polling the gate stream forwards from where the write read it)
   * until each of those locks has left the gate (landed or given up) or is abandoned, at most the
   * horizon. True when they all have.
   */
  awaitLocks(locks: GateWait): Promise<boolean> {
    return this.untilLeft(locks, GATE_HORIZON_MS);
  }

  /** A write: the locks intended on the state it decided on (or a later one) that stand before its entry. */
  private async noLockBefore(t: GateTicket, p: GatePass, position: number): Promise<LockIntendedError | null> {
    const view = await this.openBefore(t, position);
    const locks = view.open.filter(
      (e) => e.type === GATE_EVENT.lockIntended && (gateData(e).projectRevision ?? -1) >= p.revision,
    );
    return locks.length === 0 ? null : new LockIntendedError(p.revision, waitOn(t.projectCode, locks, view));
  }

  /** A lock: waits until every write that entered before its intent has left (or was abandoned). */
  private async waitForWritesBefore(
    t: GateTicket,
    p: GatePass,
    position: number,
  ): Promise<WrongExpectedRevisionError | null> {
    const view = await this.openBefore(t, position);
    const writes = view.open.filter((e) => e.type === GATE_EVENT.entered);
    if (writes.length === 0 || (await this.untilLeft(waitOn(t.projectCode, writes, view), GATE_HORIZON_MS / 2)))
      return null;
    // Past the horizon the gate no longer speaks for the entries: decide again with a new intent.
    return new WrongExpectedRevisionError(projectStreamId(p.projectCode), p.revision, null);
  }

  /**
   * Reads the gate stream on from `w.readUpTo`, a page at a time, until every ticket of `w` has
   * left or is older than the horizon against the newest event read; between reads it sleeps, a
   * little longer each time. False when `limitMs` passed first.
   */
  private async untilLeft(w: GateWait, limitMs: number): Promise<boolean> {
    const waiting = new Map(w.tickets);
    const stream = gateStreamId(w.projectCode);
    const started = Date.now();
    let from = w.readUpTo + 1;
    let newest = w.newestAt;
    for (let idle = 1; ;) {
      const page = await this.store.readStream(stream, { fromRevision: from, maxCount: PAGE });
      for (const e of page) {
        if (e.type === GATE_EVENT.left) waiting.delete(gateData(e).ticket);
        newest = Math.max(newest, Date.parse(e.recordedAt));
        from = e.revision + 1;
      }
      for (const [ticket, at] of waiting) if (at < newest - GATE_HORIZON_MS) waiting.delete(ticket);
      if (waiting.size === 0) return true;
      if (page.length === PAGE) continue;
      if (Date.now() - started > limitMs) return false;
      await sleep(backoffDelay(idle++, POLL_MS, MAX_POLL_MS));
    }
  }

  /** The gate's entries and intents before `position` that have not left, within the horizon of the reader's own event. */
  private async openBefore(t: GateTicket, position: number): Promise<GateView> {
    const events = await this.window(t);
    const head = events[events.length - 1];
    const own = ownAt(events, t);
    const left = new Set<string>();
    const open: StoredEvent[] = [];
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (own !== undefined && Date.parse(e.recordedAt) < own - GATE_HORIZON_MS) break;
      const data = gateData(e);
      if (e.type === GATE_EVENT.left) left.add(data.ticket);
      else if (e.position < position && !left.has(data.ticket)) open.push(e);
    }
    return { open, readUpTo: head?.revision ?? -1, newestAt: head ? Date.parse(head.recordedAt) : 0 };
  }

  /**
   * The gate stream from its end back to the horizon of the reader's own event, in revision order.
   * What this process read before is kept (the stream only grows), so a reader reads only what was
   * appended since, not the whole horizon again: under load that read was most of a write's time.
   */
  private async window(t: GateTicket): Promise<StoredEvent[]> {
    const stream = gateStreamId(t.projectCode);
    const known = this.windows.get(t.projectCode) ?? [];
    const last = known[known.length - 1];
    let events = last
      ? [...known, ...(await this.readOn(stream, last.revision + 1))]
      : (await this.store.readStream(stream, { direction: 'backwards', maxCount: PAGE })).reverse();
    // Further back until an event older than the horizon of the reader's own (or the stream's start).
    for (let own = ownAt(events, t); ; own ??= ownAt(events, t)) {
      const first = events[0];
      if (!first || first.revision === 0) break;
      if (own !== undefined && Date.parse(first.recordedAt) < own - GATE_HORIZON_MS) break;
      const page = await this.store.readStream(stream, {
        direction: 'backwards',
        fromRevision: first.revision - 1,
        maxCount: PAGE,
      });
      if (page.length === 0) break;
      events = [...page.reverse(), ...events];
    }
    const newest = events[events.length - 1];
    // Kept back to twice the horizon: a reader whose own event is older than the newest reads on from there.
    const keepFrom = newest ? Date.parse(newest.recordedAt) - 2 * GATE_HORIZON_MS : 0;
    const kept = events.findIndex((e) => Date.parse(e.recordedAt) >= keepFrom);
    this.windows.set(t.projectCode, kept <= 0 ? events : events.slice(kept));
    return events;
  }

  /** The stream's events from `revision` to its end. */
  private async readOn(stream: string, revision: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    for (;;) {
      const page = await this.store.readStream(stream, { fromRevision: revision + out.length, maxCount: PAGE });
      out.push(...page);
      if (page.length < PAGE) return out;
    }
  }

  /**
   * One gate event. This process's writers append to a project's gate one at a time, each at the
   * revision the one before it left ('any' would make the store read the stream's tail, and
   * concurrent writers collide and retry); another process's event in between is a conflict,
   * after which it goes at the revision the store names.
   */
  private append(projectCode: string, type: string, data: GateData): Promise<AppendResult> {
    const event = this.event(type, data);
    const stream = gateStreamId(projectCode);
    return this.inTurn(projectCode, async () => {
      for (let attempt = 1; ; attempt++) {
        const expected = this.heads.get(projectCode) ?? 'any';
        try {
          const written = await this.store.append(stream, [event], expected);
          this.heads.set(projectCode, written.revision);
          return written;
        } catch (e) {
          this.heads.delete(projectCode);
          if (!(e instanceof WrongExpectedRevisionError) || attempt >= GATE_APPEND_TRIES) throw e;
          if (e.actual !== null) this.heads.set(projectCode, e.actual);
        }
      }
    });
  }

  /** Runs `task` after the project's gate appends queued before it (failed or not). */
  private inTurn<T>(projectCode: string, task: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(projectCode) ?? Promise.resolve()).then(task, task);
    const done = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(projectCode, done);
    void done.then(() => {
      if (this.queues.get(projectCode) === done) this.queues.delete(projectCode);
    });
    return run;
  }

  private event(type: string, data: GateData) {
    const eventId = this.ids.newId();
    return { eventId, type, data: { ...data }, metadata: { recordedAt: this.clock.now().toISOString() } };
  }
}

/** When the reader's own gate event was recorded (ms), if `events` hold it. */
function ownAt(events: readonly StoredEvent[], t: GateTicket): number | undefined {
  const own = events.find((e) => gateData(e).ticket === t.ticket);
  return own ? Date.parse(own.recordedAt) : undefined;
}

/** What a reader waits on: these gate events' tickets, from where it read the gate. */
function waitOn(projectCode: string, events: readonly StoredEvent[], view: GateView): GateWait {
  return {
    projectCode,
    tickets: new Map(events.map((e) => [gateData(e).ticket, Date.parse(e.recordedAt)])),
    readUpTo: view.readUpTo,
    newestAt: view.newestAt,
  };
}
