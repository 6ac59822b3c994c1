import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DomainNotFoundError,
  foldInspection,
  inspectionStreamId,
  isFindingOverdue,
  type Inspection,
  type InspectionEvent,
  type InspectionFinding,
} from '@ihl/domain';
import { LedgerQuery, type LedgerQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { toDomainEvent } from '../shared/event-mapping';
import { toHistory, type HistoryEntry } from '../shared/history';
import { CLOCK, type Clock } from '../shared/ports';
import { vilniusDate } from '../shared/vilnius-date';
import { inspectionScope } from './inspection-command.support';

export class GetInspectionQuery extends LedgerQuery {
  readonly inspectionId: string;

  constructor(params: LedgerQueryParams & { readonly inspectionId: string }) {
    super(params);
    this.inspectionId = params.inspectionId;
  }
}

type FindingView = InspectionFinding & { readonly overdue: boolean };

export interface InspectionView extends Omit<Inspection, 'findings'> {
  readonly findings: readonly FindingView[];
  readonly revision: number;
  /** Who recorded what and when: the inspection's events as auditors read them. */
  readonly history: readonly HistoryEntry[];
}

/** One inspection with its findings and their whole history, as it stood at the query's point. */
@QueryHandler(GetInspectionQuery)
export class GetInspectionHandler implements IQueryHandler<GetInspectionQuery, InspectionView> {
  constructor(
    @Inject(FigureReader) private readonly figures: FigureReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(q: GetInspectionQuery): Promise<InspectionView> {
    const stored = await this.figures.streamAsOf(inspectionStreamId(q.inspectionId), q.asOf);
    const state = foldInspection(stored.map((e) => toDomainEvent<InspectionEvent>(e)));
    inspectionScope(q.actor, q.projectCode)(state);
    if (!state) throw new DomainNotFoundError('no such inspection');
    const today = vilniusDate(this.clock.now());
    const { findings, ...inspection } = state;
    return {
      ...inspection,
      findings: [...findings.values()].map((f) => ({ ...f, overdue: isFindingOverdue(f, today) })),
      revision: stored[stored.length - 1]!.revision,
      history: toHistory(stored),
    };
  }
}
