import { requireOwnRecord } from '@ihl/domain';
import { toDomainEvent } from '../shared/event-mapping';
import { toHistory, type HistoryEntry } from '../shared/history';
import type { Actor } from '../shared/request-context';
import type { AsOf } from './as-of';
import type { FigureReader } from './figure-reader.service';

/** What a query for one record carries beside the record's id: its project, who asks, the point. */
export interface RecordQueryParams {
  readonly projectCode: string;
  readonly actor: Actor;
  readonly asOf?: AsOf | undefined;
}

export abstract class RecordQuery {
  readonly projectCode: string;
  readonly actor: Actor;
  /** The record as it stood at the end of a day or at a position: its events up to there. */
  readonly asOf?: AsOf;

  constructor(params: RecordQueryParams) {
    this.projectCode = params.projectCode;
    this.actor = params.actor;
    this.asOf = params.asOf;
  }
}

/** A record's fold once it exists: its project and the partner it belongs to are known. */
interface OwnedRecord {
  readonly status: string;
  readonly projectCode: string;
  readonly partnerId: string;
}

/** One record with its whole history; `state` is the record's fold (never "none"). */
export interface RecordView<S> {
  readonly state: S;
  readonly revision: number;
  readonly history: readonly HistoryEntry[];
}

function exists<C extends OwnedRecord>(state: C | { readonly status: 'none' }): state is C {
  return state.status !== 'none';
}

/**
 * One record (its stream folded by `fold`) as it stood at the query's point. Another project's
 * record, or for a partner another partner's, is simply not there.
 */
export async function readRecordAsOf<E extends { type: string; data: unknown }, C extends OwnedRecord>(
  figures: FigureReader,
  q: RecordQuery,
  record: {
    readonly streamId: string;
    readonly noun: 'activity' | 'expenditure';
    readonly fold: (events: readonly E[]) => C | { readonly status: 'none' };
  },
): Promise<RecordView<C>> {
  const stored = await figures.streamAsOf(record.streamId, q.asOf);
  const state = record.fold(stored.map((e) => toDomainEvent<E>(e)));
  const inProject = exists(state) && state.projectCode === q.projectCode ? state : null;
  return {
    state: requireOwnRecord(inProject, q.actor, record.noun),
    revision: stored[stored.length - 1]!.revision,
    history: toHistory(stored),
  };
}
