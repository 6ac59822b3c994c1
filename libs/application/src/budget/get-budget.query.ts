import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainNotFoundError, type BudgetFigures } from '@ihl/domain';
import type { Actor } from '../shared/request-context';
import { BUDGET_READ_MODEL, type BudgetReadModel } from './budget-read-model.port';

export class GetBudgetQuery {
  constructor(
    readonly projectCode: string,
    readonly actor: Actor,
    readonly atLeastPosition: number | undefined,
    readonly waitMs = 2000,
  ) {}
}

export type BudgetView = BudgetFigures & { readonly position: number };

/** Envelope, allocations, declared and verified amounts per partner × category, reconciled to the cent. */
@QueryHandler(GetBudgetQuery)
export class GetBudgetHandler implements IQueryHandler<GetBudgetQuery, BudgetView> {
  constructor(@Inject(BUDGET_READ_MODEL) private readonly readModel: BudgetReadModel) {}

  async execute(q: GetBudgetQuery): Promise<BudgetView> {
    if (q.atLeastPosition !== undefined) await this.readModel.waitFor(q.atLeastPosition, q.waitMs);
    const figures = this.readModel.budget(q.projectCode);
    if (!figures) throw new DomainNotFoundError(`project ${q.projectCode} is not registered`);
    return { ...figures, position: this.readModel.reached };
  }
}
