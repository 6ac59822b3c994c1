import { isIsoDate, type IsoDate, type RegisteredProject } from '@ihl/domain';
import { ledgerPoint } from './ledger-point';
import type { Actor } from '../shared/request-context';
import type { Clock } from '../shared/ports';
import { loadProject } from '../shared/project-context';
import type { EventStore } from '@ihl/event-store';
import type { FigureSources } from '../audit/figure-sources.port';
import type { BudgetReadModel } from '../budget/budget-read-model.port';
import type { ProgressReadModel } from '../progress/progress-read-model.port';
import { endOfVilniusDay, vilniusDate } from '../shared/vilnius-date';
import type { VolumesReadModel } from '../volumes/volumes-read-model.port';

/** What every figure query carries: the project, who asks, read-your-writes and the as-of point. */
export abstract class FigureQuery {
  constructor(
    readonly projectCode: string,
    readonly actor: Actor,
    /** Read-your-writes: the position a write returned. */
    readonly atLeastPosition: number | undefined,
    readonly waitMs = 2000,
    readonly asOf?: AsOf,
  ) {}

  /** A partner's figures are its own only: its id for a partner, undefined for everyone else. */
  get ownPartner(): string | undefined {
    return this.actor.role === 'partner-submitter' ? this.actor.partnerId : undefined;
  }
}

/** `?asOf=`: a calendar day (the ledger at the end of that day, Vilnius time) or a global position. */
export type AsOf = { readonly date: IsoDate } | { readonly position: number };

export type ReadModelSet = ProgressReadModel &
  BudgetReadModel &
  VolumesReadModel &
  FigureSources & {
    /**
     * Runs `read` on one state of the read models: when another process writes them (the worker),
     * its commits must not fall between two reads of one answer.
     */
    consistently<T>(read: () => T): T;
  };

export interface AsOfReadModels {
  asOf(position: number): Promise<ReadModelSet & { close(): Promise<void> }>;
}

export const AS_OF_READ_MODELS = Symbol('AS_OF_READ_MODELS');

export function parseAsOf(text: string): AsOf | null {
  if (/^\d{1,15}$/.test(text)) return { position: Number(text) };
  return isIsoDate(text) ? { date: text } : null;
}

/**
 * The ledger at the end of a day (Europe/Vilnius): the last event of the longest prefix of the log
 * recorded on or before that day. If a clock stepped back, an event stamped earlier than one before
 * it does not extend the day (the store's headPositionAt semantics, the same as a scan of the log).
 */
export function positionAtEndOf(store: EventStore, date: IsoDate): Promise<number> {
  return store.headPositionAt(endOfVilniusDay(date));
}

/**
 * Everything an as-of answer stands on besides the read models: the position, the day it counts as
 * "today" (the asked day, or the day the position was recorded) and the project as registered then
 * (partners and allocations of that moment), so the answer never depends on the clock or later events.
 */
export interface AsOfPoint {
  readonly asOf: { readonly position: number };
  readonly day: IsoDate;
  readonly project: RegisteredProject;
}

/**
 * Where a figure query stands: as of its point (project then, the asked or recorded day) or now
 * (the project as it is, today in Vilnius); `asOf` is what to hand to `onReadModels`.
 */
export async function figureFrame(
  store: EventStore,
  clock: Clock,
  q: FigureQuery,
): Promise<{ project: RegisteredProject; today: IsoDate; asOf: { position: number } | undefined }> {
  if (!q.asOf)
    return { project: await loadProject(store, q.projectCode), today: vilniusDate(clock.now()), asOf: undefined };
  const point = await resolveAsOf(store, q.projectCode, q.asOf);
  return { project: point.project, today: point.day, asOf: point.asOf };
}

/** The position an as-of point names: given, or the end of the day asked for. */
export async function asOfPosition(store: EventStore, asOf: AsOf): Promise<number> {
  return 'position' in asOf ? asOf.position : positionAtEndOf(store, asOf.date);
}

async function resolveAsOf(store: EventStore, projectCode: string, asOf: AsOf): Promise<AsOfPoint> {
  const position = await asOfPosition(store, asOf);
  const point = await ledgerPoint(store, projectCode, position);
  return { asOf: { position }, day: 'date' in asOf ? asOf.date : point.day, project: point.project };
}

/**
 * Runs a query on the live read models, or on a snapshot replayed up to the as-of point. The answer
 * says which position it reflects, so a report can be reproduced exactly.
 */
export async function onReadModels<T>(
  live: ReadModelSet,
  history: AsOfReadModels,
  store: EventStore,
  asOf: AsOf | undefined,
  query: (models: ReadModelSet) => T,
): Promise<T> {
  if (!asOf) return live.consistently(() => query(live));
  const snapshot = await history.asOf(await asOfPosition(store, asOf));
  try {
    return snapshot.consistently(() => query(snapshot));
  } finally {
    await snapshot.close();
  }
}
