import { projectStreamId } from '@ihl/domain';
import { WrongExpectedRevisionError, type EventStore, type StoredEvent } from '@ihl/event-store';
import type { Clock, IdGenerator } from './ports';

/**
 * Where a period lock and the writes into its project meet on a store without transactions across
 * streams (EventStoreDB). There a write checks the project's revision and then appends its record:
 * a lock landing in between was not seen. Both now pass through one stream per project, in one
 * order. A write enters the gate (an event) before it appends, and leaves it after (written or
 * not); a lock first states its intent there, waits until every write that entered before it has
 * left, and only then appends. A write that finds, before its own entry, the intent of a lock
 * decided on the same project state (or a later one) withdraws and decides again. So a write that
 * entered first lands before the lock, and one that entered after it sees the lock.
 *
 * Entries and intents older than GATE_HORIZON_MS (by the store's own clock, against the reader's
 * own event) are taken as abandoned (a crashed process): a process paused longer than that between
 * its gate event and its append is the case left open (docs/event-store.md).
 */
export const GATE_HORIZON_MS = 10_000;
const PAGE = 256;
const POLL_MS = 5;

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

export class PeriodGate {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Only stores that cannot commit several streams at once need it; on SQLite the transaction is the gate. */
  get needed(): boolean {
    return !this.store.atomicMultiStream;
  }

  /** Enters (or, for a lock, states its intent and waits); throws WrongExpectedRevisionError to decide again. */
  async pass(p: GatePass): Promise<GateTicket | null> {
    if (!this.needed) return null;
    const ticket = { projectCode: p.projectCode, ticket: this.ids.newId() };
    const data: GateData = {
      ticket: ticket.ticket,
      projectRevision: p.revision,
      ...(p.lockOf ? { periodId: p.lockOf } : {}),
    };
    const type = p.lockOf ? GATE_EVENT.lockIntended : GATE_EVENT.entered;
    const { position } = await this.store.append(gateStreamId(p.projectCode), [this.event(type, data)], 'any');
    const ok = p.lockOf
      ? await this.waitForWritesBefore(ticket, position)
      : await this.noLockBefore(ticket, p, position);
    if (ok) return ticket;
    await this.leave(ticket);
    throw new WrongExpectedRevisionError(projectStreamId(p.projectCode), p.revision, null);
  }

  async leave(t: GateTicket): Promise<void> {
    await this.store.append(gateStreamId(t.projectCode), [this.event(GATE_EVENT.left, { ticket: t.ticket })], 'any');
  }

  /** A write: no lock intended on the state it decided on (or a later one) stands before its entry. */
  private async noLockBefore(t: GateTicket, p: GatePass, position: number): Promise<boolean> {
    const before = await this.openBefore(t, position);
    return !before.some((e) => e.type === GATE_EVENT.lockIntended && (gateData(e).projectRevision ?? -1) >= p.revision);
  }

  /** A lock: waits until every write that entered before its intent has left (or was abandoned). */
  private async waitForWritesBefore(t: GateTicket, position: number): Promise<boolean> {
    const started = Date.now();
    for (;;) {
      const open = (await this.openBefore(t, position)).filter((e) => e.type === GATE_EVENT.entered);
      if (open.length === 0) return true;
      // Past the horizon the gate no longer speaks for the entries: decide again with a new intent.
      if (Date.now() - started > GATE_HORIZON_MS / 2) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * The gate's entries and intents before `position` that have not left, within the horizon of the
   * reader's own event. Read backwards from the end, a page at a time, down to the horizon.
   */
  private async openBefore(t: GateTicket, position: number): Promise<StoredEvent[]> {
    const stream = gateStreamId(t.projectCode);
    const left = new Set<string>();
    const open: StoredEvent[] = [];
    let own: number | undefined;
    let from: number | undefined;
    for (;;) {
      const page = await this.store.readStream(stream, {
        direction: 'backwards',
        maxCount: PAGE,
        ...(from !== undefined ? { fromRevision: from } : {}),
      });
      for (const e of page) {
        const data = gateData(e);
        if (data.ticket === t.ticket) own ??= Date.parse(e.recordedAt);
        if (own !== undefined && Date.parse(e.recordedAt) < own - GATE_HORIZON_MS) return open;
        if (e.type === GATE_EVENT.left) left.add(data.ticket);
        else if (e.position < position && !left.has(data.ticket)) open.push(e);
      }
      const last = page[page.length - 1];
      if (!last || last.revision === 0 || page.length < PAGE) return open;
      from = last.revision - 1;
    }
  }

  private event(type: string, data: GateData) {
    const eventId = this.ids.newId();
    return { eventId, type, data: { ...data }, metadata: { recordedAt: this.clock.now().toISOString() } };
  }
}
