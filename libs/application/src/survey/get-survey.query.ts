import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DomainNotFoundError,
  foldSurvey,
  satisfactionCounts,
  surveyStreamId,
  type Survey,
  type SurveyEvent,
} from '@ihl/domain';
import { LedgerQuery, type LedgerQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { toDomainEvent } from '../shared/event-mapping';
import { toHistory, type HistoryEntry } from '../shared/history';
import { surveyScope } from './survey-command.support';

export class GetSurveyQuery extends LedgerQuery {
  readonly surveyId: string;

  constructor(params: LedgerQueryParams & { readonly surveyId: string }) {
    super(params);
    this.surveyId = params.surveyId;
  }
}

export interface SurveyView extends Survey {
  /** Satisfied or very satisfied answers over every answer but no-answer, all questions together. */
  readonly satisfaction: { readonly answered: number; readonly satisfied: number };
  readonly revision: number;
  /** Who recorded, corrected or voided the results and when. */
  readonly history: readonly HistoryEntry[];
}

/** One survey's results with their history, as they stood at the query's point. */
@QueryHandler(GetSurveyQuery)
export class GetSurveyHandler implements IQueryHandler<GetSurveyQuery, SurveyView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetSurveyQuery): Promise<SurveyView> {
    const stored = await this.figures.streamAsOf(surveyStreamId(q.surveyId), q.asOf);
    const state = foldSurvey(stored.map((e) => toDomainEvent<SurveyEvent>(e)));
    surveyScope(q.actor, q.projectCode)(state);
    if (!state) throw new DomainNotFoundError('no such survey');
    return {
      ...state,
      satisfaction: satisfactionCounts(state.questions),
      revision: stored[stored.length - 1]!.revision,
      history: toHistory(stored),
    };
  }
}
