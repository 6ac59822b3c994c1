import { Inject } from '@nestjs/common';
import {
  AS_OF_READ_MODELS,
  onReadModels,
  figureFrame,
  FigureQuery,
  type AsOfReadModels,
  type ReadModelSet,
} from '../as-of/as-of';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainNotFoundError, spendForecast, type BudgetFigures, type SpendForecast } from '@ihl/domain';
import { CLOCK, type Clock } from '../shared/ports';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { BUDGET_READ_MODEL } from './budget-read-model.port';

export class GetBudgetQuery extends FigureQuery {}

export type BudgetView = Omit<BudgetFigures, 'byMonth'> & {
  /** Monthly burn from the start to today and the forecast to the project end at the recent pace. */
  readonly spending: SpendForecast;
  readonly position: number;
};

/** Envelope, allocations, declared and verified amounts per partner × category, reconciled to the cent. */
@QueryHandler(GetBudgetQuery)
export class GetBudgetHandler implements IQueryHandler<GetBudgetQuery, BudgetView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BUDGET_READ_MODEL) private readonly readModel: ReadModelSet,
    @Inject(AS_OF_READ_MODELS) private readonly history: AsOfReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(q: GetBudgetQuery): Promise<BudgetView> {
    if (q.atLeastPosition !== undefined) await this.readModel.waitFor(q.atLeastPosition, q.waitMs);
    const { project, today, asOf } = await figureFrame(this.store, this.clock, q);
    const { period } = project.definition;
    return onReadModels(this.readModel, this.history, this.store, asOf, (models) => {
      const figures = models.budget(q.projectCode);
      if (!figures) throw new DomainNotFoundError(`project ${q.projectCode} is not registered`);
      const { byMonth, ...rest } = figures;
      const spending = spendForecast({
        start: period.start,
        end: period.end,
        today,
        envelopeCents: figures.envelopeCents,
        byMonth,
      });
      return { ...rest, spending, position: models.reached };
    });
  }
}
