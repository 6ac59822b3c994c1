import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DomainNotFoundError,
  expenditureStreamId,
  foldExpenditure,
  type ExpenditureEvent,
  type ExpenditureState,
} from '@ihl/domain';
import type { AsOf } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { toDomainEvent } from '../shared/event-mapping';
import { toHistory, type HistoryEntry } from '../shared/history';
import type { Actor } from '../shared/request-context';

export class GetExpenditureQuery {
  readonly projectCode: string;
  readonly expenditureId: string;
  readonly actor: Actor;
  /** The record as it stood at the end of a day or at a position: its events up to there. */
  readonly asOf?: AsOf;

  constructor(params: {
    readonly projectCode: string;
    readonly expenditureId: string;
    readonly actor: Actor;
    readonly asOf?: AsOf | undefined;
  }) {
    this.projectCode = params.projectCode;
    this.expenditureId = params.expenditureId;
    this.actor = params.actor;
    this.asOf = params.asOf;
  }
}

export interface ExpenditureView {
  readonly state: Exclude<ExpenditureState, { status: 'none' }>;
  readonly revision: number;
  readonly history: readonly HistoryEntry[];
}

@QueryHandler(GetExpenditureQuery)
export class GetExpenditureHandler implements IQueryHandler<GetExpenditureQuery, ExpenditureView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetExpenditureQuery): Promise<ExpenditureView> {
    const stored = await this.figures.streamAsOf(expenditureStreamId(q.expenditureId), q.asOf);
    const state = foldExpenditure(stored.map((e) => toDomainEvent<ExpenditureEvent>(e)));
    if (state.status === 'none' || state.projectCode !== q.projectCode)
      throw new DomainNotFoundError('no such expenditure');
    if (q.actor.role === 'partner-submitter' && q.actor.partnerId !== state.partnerId)
      throw new DomainNotFoundError('no such expenditure');
    return {
      state,
      revision: stored[stored.length - 1]!.revision,
      history: toHistory(stored),
    };
  }
}
