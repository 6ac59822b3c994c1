import { isIsoDate, type IsoDate } from '@ihl/domain';
import type { Actor } from '../shared/request-context';
import type { EventStore } from '@ihl/event-store';
import type { FigureSources } from '../audit/figure-sources.port';
import type { BudgetReadModel } from '../budget/budget-read-model.port';
import type { CoordinatorReadModel } from '../coordinator/coordinator-read-model.port';
import type { ProgressReadModel } from '../progress/progress-read-model.port';
import { endOfVilniusDay } from '../shared/vilnius-date';
import type { VolumesReadModel } from '../volumes/volumes-read-model.port';
import type { AlertsReadModel } from '../alerts/alerts-read-model.port';
import type { RecordListsReadModel } from '../lists/record-lists-read-model.port';
import type { SimplifiedCostsReadModel } from '../simplified-costs/simplified-costs-read-model.port';
import type { QualityReadModel } from '../quality/quality-read-model.port';

/** What every read of the ledger carries: the project, who asks and the as-of point. */
export interface LedgerQueryParams {
  readonly projectCode: string;
  readonly actor: Actor;
  readonly asOf?: AsOf | undefined;
}

export abstract class LedgerQuery {
  readonly projectCode: string;
  readonly actor: Actor;
  /** The ledger as it stood at the end of a day or at a position: its events up to there. */
  readonly asOf?: AsOf;

  constructor(params: LedgerQueryParams) {
    this.projectCode = params.projectCode;
    this.actor = params.actor;
    this.asOf = params.asOf;
  }
}

/** What every figure query carries besides: read-your-writes. */
export interface FigureQueryParams extends LedgerQueryParams {
  /** Read-your-writes: the position a write returned. */
  readonly atLeastPosition?: number | undefined;
  /** How long read-your-writes waits for the read models (2 s unless given). */
  readonly waitMs?: number | undefined;
}

export abstract class FigureQuery extends LedgerQuery {
  readonly atLeastPosition: number | undefined;
  readonly waitMs: number;

  constructor(params: FigureQueryParams) {
    super(params);
    this.atLeastPosition = params.atLeastPosition;
    this.waitMs = params.waitMs ?? 2000;
  }

  /** A partner's figures are its own only: its id for a partner, undefined for everyone else. */
  get ownPartner(): string | undefined {
    return this.actor.role === 'partner-submitter' ? this.actor.partnerId : undefined;
  }
}

/** `?asOf=`: a calendar day (the ledger at the end of that day, Vilnius time) or a global position. */
export type AsOf = { readonly date: IsoDate } | { readonly position: number };

export type ReadModelSet = ProgressReadModel &
  AlertsReadModel &
  BudgetReadModel &
  VolumesReadModel &
  FigureSources &
  RecordListsReadModel &
  SimplifiedCostsReadModel &
  QualityReadModel &
  CoordinatorReadModel & {
    /**
     * Runs `read` on one state of the read models: when another process writes them (the worker),
     * its commits must not fall between two reads of one answer.
     */
    consistently<T>(read: () => T): T;
  };

/** The read models as of one position. */
export type ReadModelsAt = ReadModelSet & {
  close(): Promise<void>;
  /** `read` as `consistently` runs it, with its SQL read off the caller's thread where it can be. */
  offThread?<T>(read: (models: ReadModelSet) => T): Promise<T>;
};

export interface AsOfReadModels {
  asOf(position: number): Promise<ReadModelsAt>;
  /** The store's headPositionAt, from an index of the read models when they can (else the store). */
  positionAt?(instant: Date): Promise<number>;
}

/** Every read model the queries read: live, and replayed to an as-of point. */
export type ReadModelsPort = ReadModelSet & AsOfReadModels;

/** The token of the read models (a ReadModelsPort) every figure query and the health checks read. */
export const READ_MODELS = Symbol('READ_MODELS');

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
 * The day an answer counts as "today": the day asked for (`?asOf=<day>`), else the day the position
 * it stands on was recorded; the same rule for every figure and export.
 */
export function asOfDay(q: FigureQuery, recordedDay: IsoDate): IsoDate {
  return q.asOf && 'date' in q.asOf ? q.asOf.date : recordedDay;
}
