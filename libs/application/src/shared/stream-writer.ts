import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { IsoDate } from '@ihl/domain';
import {
  EVENT_STORE,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type StoredEvent,
  type StreamAppend,
  type StreamCondition,
} from '@ihl/event-store';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import { keyedRecordId } from './deterministic-id';
import type { DryRunWrites } from './dry-run-writes';
import { toDomainEvent, upcasters } from './event-mapping';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from './ports';
import { GATE_HORIZON_MS, LockIntendedError, PeriodGate, type GatePass, type GateTicket } from './period-gate';
import { ProjectContext, type ProjectAt } from './project-context';
import { eventMetadata, type RequestContext } from './request-context';
import {
  MAX_CONFLICT_RETRIES,
  pause,
  unchanged,
  type DomainEvent,
  type PendingAppend,
  type RequestChecks,
  type StreamDecision,
  type StreamSpec,
  type WriteAttempt,
} from './stream-command';
import { vilniusDate } from './vilnius-date';
import { IdempotencyConflictError, PreconditionFailedError } from './write-errors';
import type { WriteResult } from './write-result';

/** The project a record belongs to, as read at this attempt, and the day in Vilnius decisions see. */
export interface ProjectScope extends ProjectAt {
  readonly today: () => IsoDate;
}

/** Several streams of one project decided as one unit (a batch): all commit, or none. */
export interface ManyStreams<R> {
  readonly pending: readonly PendingAppend<unknown, DomainEvent>[];
  /** Appends that commit with them, first (the recipients' profiles). */
  readonly alongside?: () => Promise<readonly StreamAppend[]>;
  /** The answer, given what was written for `pending`, in its order (nothing when nothing was pending). */
  readonly answer: (written: readonly AppendResult[]) => R;
}

/**
 * The one write path. Read the stream, upcast, fold, guard, answer a repeated Idempotency-Key or
 * a stale If-Match, decide, and append with the exact revision read — together with the appends
 * that belong to the decision and the revisions of the other streams it read (the project), in one
 * commit. On a concurrent writer the whole cycle is retried (bounded, with a short random pause so
 * that many writers to one stream do not retry in lockstep), so decisions always see the latest state.
 */
@Injectable()
export class StreamWriter {
  private readonly gate: PeriodGate;
  private readonly logger = new Logger(StreamWriter.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(ProjectContext) private readonly projects: ProjectContext,
    /** Only for its keysDurable: writes that name no person need none. */
    @Optional() @Inject(PERSON_REGISTRY) private readonly persons?: Pick<PersonRegistry, 'keysDurable'>,
  ) {
    this.gate = new PeriodGate(store, clock, ids);
  }

  /** A decision on one stream that depends on nothing else (a project's own stream, a person's). */
  write<S, E extends DomainEvent>(ctx: RequestContext, spec: StreamSpec<S, E>): Promise<WriteResult> {
    return this.retrying(ctx, () => this.attemptOn(ctx, spec, []));
  }

  /**
   * A decision on a record of a project: the project (its locks, partners, envelope) is read again
   * at every attempt and the append commits only if it did not move meanwhile, so a lock and a
   * submission cannot both land on either side of the check.
   */
  writeInProject<S, E extends DomainEvent>(
    ctx: RequestContext,
    projectCode: string,
    specOf: (scope: ProjectScope) => StreamSpec<S, E> | Promise<StreamSpec<S, E>>,
  ): Promise<WriteResult> {
    return this.retrying(ctx, async () => {
      const scope = await this.scope(projectCode);
      return this.attemptOn(ctx, await specOf(scope), [scope.condition], gateOf(projectCode, scope));
    });
  }

  /** As `writeInProject`, for several record streams appended at once (see ManyStreams). */
  writeManyInProject<R>(
    ctx: RequestContext,
    projectCode: string,
    plan: (scope: ProjectScope) => Promise<ManyStreams<R>>,
  ): Promise<R> {
    return this.retrying(ctx, async (): Promise<WriteAttempt<R>> => {
      const scope = await this.scope(projectCode);
      const many = await plan(scope);
      if (many.pending.length === 0) return { answer: many.answer([]) };
      // Events get their metadata (and so the request's fingerprint, which creates recipients' keys)
      // only now that every stream is decided: a refused unit leaves no trace of its persons.
      const others = (!ctx.dryRun && (await many.alongside?.())) || [];
      return {
        appends: [...others, ...many.pending.map((p) => this.toAppend(ctx, p))],
        conditions: [scope.condition],
        gate: gateOf(projectCode, scope),
        result: (written) => many.answer(written.slice(others.length)),
      };
    });
  }

  /**
   * Read, upcast, fold, guard, the request's own checks (none for a record of a batch: its retries
   * are recognised by their derived ids), decide. Nothing is written.
   */
  async decideOn<S, E extends DomainEvent>(
    spec: StreamSpec<S, E>,
    checks: RequestChecks,
  ): Promise<StreamDecision<S, E>> {
    const { stored, events } = await this.read<E>(spec.streamId, checks.dryRun);
    const state = spec.fold(events);
    spec.guard?.(state);
    const replayed = replay(spec.streamId, stored, checks);
    if (replayed) return { answer: replayed };
    const last = stored[stored.length - 1];
    if (checks.expectedRevision !== undefined && (last?.revision ?? -1) !== checks.expectedRevision) {
      throw new PreconditionFailedError(checks.expectedRevision, last?.revision ?? -1);
    }
    const decided = spec.decide(state);
    if (decided.length === 0) {
      return { answer: unchanged(spec.streamId, spec.noopAnswer === 'first' ? stored[0] : last) };
    }
    return {
      pending: { streamId: spec.streamId, expectedRevision: last ? last.revision : 'no_stream', state, decided },
    };
  }

  /** A stream's stored events and the same in the domain's latest shape (upcast). */
  async read<E extends DomainEvent>(
    streamId: string,
    dryRun?: DryRunWrites,
  ): Promise<{ stored: StoredEvent[]; events: E[] }> {
    const read = await this.store.readStream(streamId);
    const stored = dryRun ? [...read, ...dryRun.eventsOf(streamId)] : read;
    return { stored, events: stored.map((e) => toDomainEvent<E>(e)) };
  }

  /** The decided events with their ids, schema version and the server's metadata. */
  toAppend(ctx: RequestContext, p: Omit<PendingAppend<unknown, DomainEvent>, 'state'>): StreamAppend {
    const now = this.clock.now();
    const events = p.decided.map((e) => {
      const eventId = this.ids.newId();
      return {
        eventId,
        type: e.type,
        schemaVersion: upcasters.latestVersion(e.type),
        data: e.data as never,
        metadata: eventMetadata(ctx, eventId, now),
      };
    });
    return { streamId: p.streamId, expectedRevision: p.expectedRevision, events };
  }

  /**
   * The id of a new record: the client's, else derived from the Idempotency-Key (so a retry lands
   * on the same stream; `index`: the record's place in a batch), else a new one.
   */
  async recordId(
    ctx: RequestContext,
    r: { given: string | undefined; scope: string; streamOf: (id: string) => string; index?: number },
  ): Promise<string> {
    if (r.given !== undefined) return r.given;
    const key = ctx.idempotencyKey;
    if (!key) return this.ids.newId();
    const derivedFrom = r.index === undefined ? key : `${key}#${r.index}`;
    return keyedRecordId(this.store, { scope: r.scope, derivedFrom, idempotencyKey: key, streamOf: r.streamOf });
  }

  private async attemptOn<S, E extends DomainEvent>(
    ctx: RequestContext,
    spec: StreamSpec<S, E>,
    conditions: readonly StreamCondition[],
    gate?: GatePass,
  ): Promise<WriteAttempt<WriteResult>> {
    const decision = await this.decideOn(spec, ctx);
    if ('answer' in decision) return decision;
    const { state, decided, expectedRevision } = decision.pending;
    const lock = spec.lockGate;
    const passing =
      lock && typeof expectedRevision === 'number'
        ? { projectCode: lock.projectCode, revision: expectedRevision, lockOf: lock.periodId }
        : gate;
    const main = this.toAppend(ctx, decision.pending);
    const others = (!ctx.dryRun && (await spec.alongside?.(state, decided))) || [];
    return {
      // The main stream last: a store that cannot commit several streams at once (EventStoreDB)
      // then never holds a record whose profile is missing.
      appends: [...others, main],
      conditions: [...conditions, ...(spec.conditions ?? [])],
      ...(ctx.expectedRevision !== undefined
        ? { ifMatch: { streamId: spec.streamId, expected: ctx.expectedRevision } }
        : {}),
      ...(passing ? { gate: passing } : {}),
      result: (written) => {
        const r = written[written.length - 1]!;
        const position = Math.max(...written.map((x) => x.position));
        return { streamId: r.streamId, revision: r.revision, position, changed: true };
      },
    };
  }

  private async retrying<R>(ctx: RequestContext, attempt: () => Promise<WriteAttempt<R>>): Promise<R> {
    let conflicts = 0;
    let lockWaits = 0;
    for (;;) {
      const a = await attempt();
      if (!('appends' in a)) return a.answer;
      if (ctx.dryRun) return a.result(ctx.dryRun.append(a.appends));
      let ticket: GateTicket | null = null;
      try {
        // The persons' keys the appends were sealed or fingerprinted with reach the disk first.
        await this.persons?.keysDurable?.();
        ticket = a.gate ? await this.gate.pass(a.gate) : null;
        return a.result(await this.store.appendMany(a.appends, a.conditions));
      } catch (e) {
        if (!(e instanceof WrongExpectedRevisionError)) throw e;
        // With If-Match the client decided on what it saw: a concurrent change of it is its to resolve.
        if (a.ifMatch && e.streamId === a.ifMatch.streamId) {
          throw new PreconditionFailedError(a.ifMatch.expected, e.actual ?? -1);
        }
        // A lock is about to land on the state this write decided on: no conflict of the write's
        // own, so it spends no retry; it has left the gate, waits for the lock, and decides again.
        if (e instanceof LockIntendedError && lockWaits++ < MAX_LOCK_WAITS) {
          await this.gate.awaitLocks(e.locks);
          continue;
        }
        if (conflicts >= MAX_CONFLICT_RETRIES) throw e;
        await pause(conflicts++);
      } finally {
        if (ticket) await this.leaveGate(ticket);
      }
    }
  }

  /**
   * Best effort: the write has landed or been refused by now and that answer stands; an entry that
   * never left stops holding the project's locks back after the gate's horizon (10 s).
   */
  private async leaveGate(ticket: GateTicket): Promise<void> {
    if (await this.gate.leaveQuietly(ticket)) return;
    this.logger.warn(
      `could not leave the period gate of project ${ticket.projectCode}; its locks wait up to ${GATE_HORIZON_MS} ms (${this.gate.leavesFailed} such leaves so far)`,
    );
  }

  /** Leaves of the period gate that failed since start (each logged): locks waited longer for them. */
  get gateLeavesFailed(): number {
    return this.gate.leavesFailed;
  }

  private async scope(projectCode: string): Promise<ProjectScope> {
    const at = await this.projects.loadAt(projectCode);
    let today: IsoDate | undefined;
    return { ...at, today: () => (today ??= vilniusDate(this.clock.now())) };
  }
}

/**
 * How many times one write may wait for a lock intended on the state it decided on (each wait ends
 * when that lock has landed or given up, at most the gate's horizon): a bound, not an expected count.
 */
const MAX_LOCK_WAITS = 20;

/** A write decided on the project at this scope's revision passes the gate (only where the store needs one). */
function gateOf(projectCode: string, scope: ProjectScope): GatePass | undefined {
  const revision = scope.condition.expectedRevision;
  return typeof revision === 'number' ? { projectCode, revision } : undefined;
}

/** A repeated Idempotency-Key: the original answer, without deciding again; another body is a conflict. */
function replay(streamId: string, stored: readonly StoredEvent[], checks: RequestChecks): WriteResult | null {
  const key = checks.idempotencyKey;
  if (!key) return null;
  const earlier = stored.filter((e) => e.metadata.idempotencyKey === key);
  if (earlier.length === 0) return null;
  const hash = earlier[0]!.metadata.requestHash;
  const storedHash = typeof hash === 'string' ? hash : undefined;
  if (!(checks.fingerprint ? checks.fingerprint.matches(storedHash) : storedHash === undefined)) {
    throw new IdempotencyConflictError(key);
  }
  return unchanged(streamId, earlier[earlier.length - 1]);
}
