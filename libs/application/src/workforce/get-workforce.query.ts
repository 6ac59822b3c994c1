import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DomainNotFoundError,
  foldWorkforce,
  workforceStreamId,
  type Position,
  type ServiceEndReason,
  type Worker,
  type WorkforceEvent,
} from '@ihl/domain';
import { LedgerQuery, type LedgerQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { toDomainEvent } from '../shared/event-mapping';
import { toHistory, type HistoryEntry } from '../shared/history';
import { ProjectContext } from '../shared/project-context';

export class GetWorkforceQuery extends LedgerQuery {
  readonly partnerId: string;

  constructor(params: LedgerQueryParams & { readonly partnerId: string }) {
    super(params);
    this.partnerId = params.partnerId;
  }
}

export interface WorkforceView {
  readonly partnerId: string;
  readonly workers: readonly Worker[];
  readonly positions: readonly Position[];
  /** Endings without the person: their count by day and reason is what a coordinator reads. */
  readonly serviceEndings: readonly {
    readonly endedOn: string;
    readonly reason: ServiceEndReason;
    readonly note?: string;
  }[];
  readonly revision: number;
  readonly history: readonly HistoryEntry[];
}

/** A partner's staff, positions and service endings, as they stood at the query's point. */
@QueryHandler(GetWorkforceQuery)
export class GetWorkforceHandler implements IQueryHandler<GetWorkforceQuery, WorkforceView> {
  constructor(
    @Inject(FigureReader) private readonly figures: FigureReader,
    @Inject(ProjectContext) private readonly projects: ProjectContext,
  ) {}

  async execute(q: GetWorkforceQuery): Promise<WorkforceView> {
    const project = await this.projects.load(q.projectCode);
    if (!project.partners.has(q.partnerId)) throw new DomainNotFoundError('no such partner');
    const stored = await this.figures.streamAsOf(workforceStreamId(q.projectCode, q.partnerId), q.asOf);
    const state = foldWorkforce(stored.map((e) => toDomainEvent<WorkforceEvent>(e)));
    return {
      partnerId: q.partnerId,
      workers: [...state.workers.values()],
      positions: state.positions,
      serviceEndings: state.endings.map(({ endedOn, reason, note }) => ({
        endedOn,
        reason,
        ...(note ? { note } : {}),
      })),
      revision: stored[stored.length - 1]?.revision ?? -1,
      history: toHistory(stored),
    };
  }
}
