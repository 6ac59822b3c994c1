import { Inject } from '@nestjs/common';
import { FigureReader } from '../as-of/figure-reader.service';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DomainNotFoundError,
  claimBudgetFigures,
  addMonths,
  coFinancingShares,
  partnerCoFinancing,
  partnerShares,
  zeroBudgetSums,
  spendForecast,
  type BudgetFigures,
  type BudgetSums,
  type ClaimBudgetFigures,
  type CentsSum,
  type RegisteredProject,
  type MonthSpend,
  type SpendForecast,
} from '@ihl/domain';
import { DatedFigureQuery, datedFrame } from '../shared/figure-range';
import type { DateRange } from '../volumes/volumes-read-model.port';
import type { SpendingLine } from './budget-read-model.port';
import { partnerReconciliation } from './partner-reconciliation';
import { simplifiedCostsOf } from '../simplified-costs/simplified-costs.figures';
import { acceptedAt, deliverableEventsOf } from '../deliverable/accepted-lump-sums';

/**
 * `?partnerId=`: that partner's lines and totals; `?from=&to=`: the expenditures dated in that range
 * only (see BudgetBetweenView).
 */
export class GetBudgetQuery extends DatedFigureQuery {}

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
  /** Only once a partner has its own split in the definition (docs/finance.md). */
  readonly partnerShares?: PartnerSharesView;
  /**
   * What payment claims made of the lines (claimed, accepted, reimbursed, outstanding). The
   * project's; a partner's own view of them belongs with the partners' budget (claimBudgetFigures).
   */
  readonly claims?: ClaimBudgetFigures;
  /** Every expenditure, whatever its date (see BudgetBetweenView for a range). */
  readonly between: null;
  readonly position: number;
  /** Unit costs and flat rates computed from verified figures, beside the real costs; absent when the project defines none. */
  readonly simplifiedCosts?: ReturnType<typeof simplifiedCostsOf>;
};

type SpendingSums = Omit<SpendingLine, 'partnerId' | 'categoryId'>;

/**
 * Per partner, its co-financing rates (its own from the definition, else the project's with no own
 * part) and its eligible amount split by them, to the cent (docs/finance.md).
 */
export type PartnerSharesView = Readonly<
  Record<string, ReturnType<typeof partnerCoFinancing> & ReturnType<typeof partnerShares>>
>;

function partnerSharesOf(
  byPartner: Readonly<Record<string, { readonly eligibleCents: CentsSum }>>,
  project: RegisteredProject,
): { readonly partnerShares?: PartnerSharesView } {
  // Answered once the definition gives a partner its own split; before, every partner's split is
  // the project's `shares` and the answers keep the shape clients already read.
  if (!project.definition.partners.some((p) => p.coFinancing)) return {};
  const byId: PartnerSharesView = Object.fromEntries(
    Object.entries(byPartner).map(([id, sums]) => {
      const rates = partnerCoFinancing(project.definition, project.partners.get(id));
      return [id, { ...rates, ...partnerShares(sums.eligibleCents, rates) }];
    }),
  );
  return { partnerShares: byId };
}

/**
 * The expenditures dated in a range (their document date, both days included): declared, eligible,
 * ineligible and pending per line, by partner and in total, the ESF+/national split of the eligible
 * part, and declared and eligible per month of the range. Allocations are not dated, so they, what
 * remains of them, the over-spend flags, the reconciliation against the allocations and the
 * forecast belong to the whole period and are left out.
 */
export interface BudgetBetweenView {
  readonly partnerId: string | null;
  readonly between: DateRange;
  readonly lines: readonly SpendingLine[];
  readonly byPartner: Readonly<Record<string, SpendingSums>>;
  readonly total: SpendingSums;
  readonly shares: { readonly esfPlusCents: CentsSum; readonly nationalCents: CentsSum };
  readonly partnerShares?: PartnerSharesView;
  /** Every month the range touches, in order, zero where nothing is dated. */
  readonly burn: readonly ({ readonly month: string } & MonthSpend)[];
  readonly position: number;
}

/** Envelope, allocations, declared and verified amounts per partner × category, reconciled to the cent. */
@QueryHandler(GetBudgetQuery)
export class GetBudgetHandler implements IQueryHandler<GetBudgetQuery, BudgetView | BudgetBetweenView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetBudgetQuery): Promise<BudgetView | BudgetBetweenView> {
    const { project, today, asOf, partnerId, between } = await datedFrame(this.figures, q);
    const { period } = project.definition;
    if (between)
      return this.figures.read(asOf, (models) => ({
        ...spendingIn(models.spendingBetween(q.projectCode, between, partnerId), between, project),
        partnerId: partnerId ?? null,
        between,
        position: models.reached,
      }));
    const deliverables = await deliverableEventsOf(this.figures, project, asOf);
    return this.figures.read(asOf, (models) => {
      const figures = models.budget(q.projectCode);
      if (!figures) throw new DomainNotFoundError(`project ${q.projectCode} is not registered`);
      const { byMonth, ...rest } = figures;
      const simplifiedCosts = simplifiedCostsOf(models, project, partnerId, acceptedAt(deliverables, models.reached));
      const sco = simplifiedCosts ? { simplifiedCosts } : {};
      if (partnerId)
        return {
          ...ofPartner(rest, partnerId, project, q.actor.role === 'partner-submitter'),
          ...sco,
          ...partnerClaims(models.claimFigures(q.projectCode), partnerId),
          partnerId,
          between: null,
          position: models.reached,
        };
      const spending = spendForecast({
        start: period.start,
        end: period.end,
        today,
        envelopeCents: figures.envelopeCents,
        byMonth,
      });
      const shares = partnerSharesOf(rest.byPartner, project);
      const claims = models.claimFigures(q.projectCode);
      return { ...rest, ...sco, spending, claims, partnerId: null, ...shares, between: null, position: models.reached };
    });
  }
}

/**
 * One partner's part of the budget: its lines, its totals (the sum of its lines, as the project's
 * `byPartner` has them) and the ESF+/national split of its eligible amount. The envelope, the
 * over-allocation flag and (for other roles than the partner's own) the reconciliation stay the
 * project's: they are about all allocations
 * and all totals, which the partner's lines are part of.
 */
function ofPartner(
  figures: Omit<BudgetFigures, 'byMonth'>,
  partnerId: string,
  project: RegisteredProject,
  ownToken: boolean,
): Omit<BudgetView, 'partnerId' | 'between' | 'position'> {
  const lines = figures.lines.filter((l) => l.partnerId === partnerId);
  const total = figures.byPartner[partnerId] ?? zeroBudgetSums();
  return {
    ...partnerSharesOf({ [partnerId]: total }, project),
    envelopeCents: figures.envelopeCents,
    lines,
    byPartner: { [partnerId]: total },
    total,
    shares: sharesOf(total.eligibleCents, project),
    flags: { overAllocated: figures.flags.overAllocated, overSpentLines: lines.filter((l) => l.overSpent).length },
    reconciliation: ownToken ? partnerReconciliation(lines, total) : figures.reconciliation,
  };
}

/** The lines of a range summed by partner and in total, split by the co-financing rates; its months. */
function spendingIn(
  spending: { lines: SpendingLine[]; byMonth: Record<string, MonthSpend> },
  between: DateRange,
  project: RegisteredProject,
): Omit<BudgetBetweenView, 'partnerId' | 'between' | 'position'> {
  const zero = (): { -readonly [K in keyof SpendingSums]: CentsSum } => ({
    declaredCents: 0n,
    eligibleCents: 0n,
    ineligibleCents: 0n,
    pendingCents: 0n,
  });
  const total = zero();
  const byPartner: Record<string, ReturnType<typeof zero>> = {};
  for (const { partnerId, categoryId: _c, ...sums } of spending.lines)
    for (const into of [total, (byPartner[partnerId] ??= zero())])
      for (const k of Object.keys(into) as (keyof SpendingSums)[]) into[k] += sums[k];
  const burn: BudgetBetweenView['burn'][number][] = [];
  for (let m = between.from.slice(0, 7); m <= between.to.slice(0, 7); m = addMonths(m, 1))
    burn.push({ month: m, ...(spending.byMonth[m] ?? { declaredCents: 0n, eligibleCents: 0n }) });
  const shares = sharesOf(total.eligibleCents, project);
  return { lines: spending.lines, byPartner, total, shares, ...partnerSharesOf(byPartner, project), burn };
}

/** The ESF+/national split of an eligible amount at the project's co-financing rates. */
function sharesOf(eligibleCents: CentsSum, project: RegisteredProject): BudgetFigures['shares'] {
  const { esfPlusBp, nationalBp } = project.definition.coFinancing;
  return coFinancingShares(eligibleCents, esfPlusBp, nationalBp);
}

/** A partner's part of the claims, once a claim carries one of its costs (a partner reads its own budget). */
function partnerClaims(all: ClaimBudgetFigures, partnerId: string): { claims?: ClaimBudgetFigures } {
  const lines = all.lines.filter((l) => l.partnerId === partnerId);
  return lines.length ? { claims: claimBudgetFigures(lines) } : {};
}
