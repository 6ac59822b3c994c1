import { Inject } from '@nestjs/common';
import { FigureQuery } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainNotFoundError, spendForecast, type BudgetFigures, type SpendForecast } from '@ihl/domain';

export class GetBudgetQuery extends FigureQuery {}

export type BudgetView = Omit<BudgetFigures, 'byMonth'> & {
  /** Monthly burn from the start to today and the forecast to the project end at the recent pace. */
  readonly spending: SpendForecast;
  readonly position: number;
};

/** Envelope, allocations, declared and verified amounts per partner × category, reconciled to the cent. */
@QueryHandler(GetBudgetQuery)
export class GetBudgetHandler implements IQueryHandler<GetBudgetQuery, BudgetView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetBudgetQuery): Promise<BudgetView> {
    const { project, today, asOf } = await this.figures.frame(q);
    const { period } = project.definition;
    return this.figures.read(asOf, (models) => {
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
