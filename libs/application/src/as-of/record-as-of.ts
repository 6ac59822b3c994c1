import { Inject } from '@nestjs/common';
import { evidenceStreamOf, requireOwnRecord } from '@ihl/domain';
import { toEvidenceEntries, type EvidenceEntry } from '../evidence/evidence-entries';
import { toDomainEvent } from '../shared/event-mapping';
import { toHistory, type HistoryEntry } from '../shared/history';
import type { LedgerQuery } from './as-of';
import { FigureReader } from './figure-reader.service';

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
  /** The files attached to it (its evidence stream, at the same point). */
  readonly evidence: readonly EvidenceEntry[];
}

function exists<C extends OwnedRecord>(state: C | { readonly status: 'none' }): state is C {
  return state.status !== 'none';
}

/** Where one record is read from: its stream, the noun a not-found names, and the fold of its events. */
export interface RecordSource<E, C> {
  readonly streamId: string;
  readonly noun: 'activity' | 'expenditure';
  readonly fold: (events: readonly E[]) => C | { readonly status: 'none' };
}

/**
 * One record (its stream folded by `fold`) as it stood at the query's point. Another project's
 * record, or for a partner another partner's, is simply not there.
 */
export async function readRecordAsOf<E extends { type: string; data: unknown }, C extends OwnedRecord>(
  figures: FigureReader,
  q: LedgerQuery,
  record: RecordSource<E, C>,
): Promise<RecordView<C>> {
  const stored = await figures.streamAsOf(record.streamId, q.asOf);
  const state = record.fold(stored.map((e) => toDomainEvent<E>(e)));
  const inProject = exists(state) && state.projectCode === q.projectCode ? state : null;
  const own = requireOwnRecord(inProject, q.actor, record.noun);
  const evidence = await figures.streamAsOf(evidenceStreamOf(record.streamId), q.asOf);
  return {
    state: own,
    revision: stored[stored.length - 1]!.revision,
    history: toHistory(stored),
    evidence: toEvidenceEntries(evidence),
  };
}

/** The handler of a query for one record: reads the record its `source` names (see readRecordAsOf). */
export abstract class RecordQueryHandler<
  Q extends LedgerQuery,
  E extends { type: string; data: unknown },
  C extends OwnedRecord,
> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  protected abstract source(q: Q): RecordSource<E, C>;

  execute(q: Q): Promise<RecordView<C>> {
    return readRecordAsOf(this.figures, q, this.source(q));
  }
}
