import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { FigureReader } from '../as-of/figure-reader.service';
import type { FigureQueryParams } from '../as-of/as-of';
import type { AskedDates } from '../shared/figure-range';
import { PartnerFigureQuery, partnerFrame } from '../shared/figure-partner';
import type { DateRange } from '../volumes/volumes-read-model.port';
import { listRange, reportedPeriodOf } from './list-range';
import type { ListedRecord } from './record-lists-read-model.port';

/** Every expenditure (not voided) of a period or date range, with its verdict, and their sums. */
export class GetExpenditureRegisterQuery extends PartnerFigureQuery {
  readonly period: string | undefined;
  readonly dates: AskedDates | undefined;

  constructor(
    params: FigureQueryParams & {
      readonly partnerId?: string | undefined;
      readonly period?: string | undefined;
      readonly dates?: AskedDates | undefined;
    },
  ) {
    super(params);
    this.period = params.period;
    this.dates = params.dates;
  }
}

export interface RegisterTotals {
  readonly count: number;
  readonly declaredCents: number;
  readonly eligibleCents: number;
  readonly ineligibleCents: number;
  /** Declared, not yet verified. */
  readonly pendingCents: number;
}

export interface ExpenditureRegisterView {
  readonly projectCode: string;
  readonly partnerId: string | null;
  readonly between: DateRange | null;
  readonly expenditures: ListedRecord[];
  readonly totals: RegisterTotals;
  readonly position: number;
}

/** The sums as the budget makes them: the declared amount is pending until verified. */
export function registerTotals(rows: readonly ListedRecord[]): RegisterTotals {
  let declared = 0;
  let eligible = 0;
  let ineligible = 0;
  let pending = 0;
  for (const r of rows) {
    declared += r.amountCents;
    eligible += r.eligibleCents ?? 0;
    ineligible += r.ineligibleCents ?? 0;
    if (r.eligibleCents === null) pending += r.amountCents;
  }
  return {
    count: rows.length,
    declaredCents: declared,
    eligibleCents: eligible,
    ineligibleCents: ineligible,
    pendingCents: pending,
  };
}

/** The body of a payment claim: a period's expenditures with document, date, amounts and verdict. */
@QueryHandler(GetExpenditureRegisterQuery)
export class GetExpenditureRegisterHandler implements IQueryHandler<
  GetExpenditureRegisterQuery,
  ExpenditureRegisterView
> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetExpenditureRegisterQuery): Promise<ExpenditureRegisterView> {
    const { project, partnerId, asOf } = await partnerFrame(this.figures, q);
    const between = listRange(q.period, q.dates, project);
    return this.figures.read(asOf, (models) => {
      const reported = { ...between, reportedPeriod: reportedPeriodOf(q.period, project) };
      const expenditures = models.expenditureRegister(q.projectCode, reported, partnerId);
      return {
        projectCode: q.projectCode,
        partnerId: partnerId ?? null,
        between: between ?? null,
        expenditures,
        totals: registerTotals(expenditures),
        position: models.reached,
      };
    });
  }
}
