import { Inject } from '@nestjs/common';
import { FigureQuery, type AsOf } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DomainNotFoundError,
  allocateByRates,
  spendForecast,
  type BudgetFigures,
  type BudgetSums,
  type CentsSum,
  type RegisteredProject,
  type SpendForecast,
} from '@ihl/domain';
import { figurePartner } from '../shared/figure-partner';
import type { Actor } from '../shared/request-context';

export class GetBudgetQuery extends FigureQuery {
  constructor(
    projectCode: string,
    actor: Actor,
    atLeastPosition: number | undefined,
    waitMs?: number,
    asOf?: AsOf,
    /** `?partnerId=`: that partner's lines and totals. */
    readonly partnerId?: string,
  ) {
    super(projectCode, actor, atLeastPosition, waitMs, asOf);
  }
}

export type BudgetView = Omit<BudgetFigures, 'byMonth' | 'total'> & {
  /** The project's total, or one partner's (then without the project's unallocated envelope). */
  readonly total: BudgetSums & { readonly unallocatedCents?: CentsSum };
  /**
   * Monthly burn from the start to today and the forecast to the project end at the recent pace.
   * Left out for one partner: the read model keeps the burn per project only, not per partner.
   */
  readonly spending?: SpendForecast;
  /** The partner the figures are narrowed to; null for the project. */
  readonly partnerId: string | null;
  readonly position: number;
};

/** Envelope, allocations, declared and verified amounts per partner × category, reconciled to the cent. */
@QueryHandler(GetBudgetQuery)
export class GetBudgetHandler implements IQueryHandler<GetBudgetQuery, BudgetView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetBudgetQuery): Promise<BudgetView> {
    const { project, today, asOf } = await this.figures.frame(q);
    const partnerId = figurePartner(q, q.partnerId, project);
    const { period } = project.definition;
    return this.figures.read(asOf, (models) => {
      const figures = models.budget(q.projectCode);
      if (!figures) throw new DomainNotFoundError(`project ${q.projectCode} is not registered`);
      const { byMonth, ...rest } = figures;
      if (partnerId) return { ...ofPartner(rest, partnerId, project), partnerId, position: models.reached };
      const spending = spendForecast({
        start: period.start,
        end: period.end,
        today,
        envelopeCents: figures.envelopeCents,
        byMonth,
      });
      return { ...rest, spending, partnerId: null, position: models.reached };
    });
  }
}

const NONE: BudgetSums = {
  allocatedCents: 0n,
  declaredCents: 0n,
  eligibleCents: 0n,
  ineligibleCents: 0n,
  pendingCents: 0n,
  remainingCents: 0n,
};

/**
 * One partner's part of the budget: its lines, its totals (the sum of its lines, as the project's
 * `byPartner` has them) and the ESF+/national split of its eligible amount. The envelope, the
 * over-allocation flag and the reconciliation stay the project's: they are about all allocations
 * and all totals, which the partner's lines are part of.
 */
function ofPartner(
  figures: Omit<BudgetFigures, 'byMonth'>,
  partnerId: string,
  project: RegisteredProject,
): Omit<BudgetView, 'partnerId' | 'position'> {
  const lines = figures.lines.filter((l) => l.partnerId === partnerId);
  const total = figures.byPartner[partnerId] ?? NONE;
  const { esfPlusBp, nationalBp } = project.definition.coFinancing;
  const [esfPlusCents, nationalCents] = allocateByRates(total.eligibleCents, [esfPlusBp, nationalBp]) as [
    CentsSum,
    CentsSum,
  ];
  return {
    envelopeCents: figures.envelopeCents,
    lines,
    byPartner: { [partnerId]: total },
    total,
    shares: { esfPlusCents, nationalCents },
    flags: { overAllocated: figures.flags.overAllocated, overSpentLines: lines.filter((l) => l.overSpent).length },
    reconciliation: figures.reconciliation,
  };
}
