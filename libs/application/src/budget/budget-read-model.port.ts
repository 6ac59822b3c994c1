import type { BudgetFigures, BudgetLine, Cents, ClaimBudgetFigures, IsoDate, MonthSpend } from '@ihl/domain';
import type { DateRange } from '../volumes/volumes-read-model.port';

export interface BudgetReadModel {
  readonly reached: number;
  waitFor(position: number, timeoutMs: number): Promise<void>;
  /** Null when the project is not in the read model (yet). */
  budget(projectCode: string): BudgetFigures | null;
  /** Expenditures with a verified eligible part, by document date, then in the order declared. */
  verifiedExpenditures(projectCode: string): VerifiedExpenditure[];
  /** What payment claims made of each budget line: claimed, accepted, reimbursed, outstanding. */
  claimFigures(projectCode: string): ClaimBudgetFigures;
  /** The live expenditures dated in the range, per line and per month of their date; one partner's with `partnerId`. */
  spendingBetween(
    projectCode: string,
    between: DateRange,
    partnerId?: string,
  ): { lines: SpendingLine[]; byMonth: Record<string, MonthSpend> };
}

/** The expenditure sums of a line (partner × category) over the records dated in a range. */
export type SpendingLine = Pick<
  BudgetLine,
  'partnerId' | 'categoryId' | 'declaredCents' | 'eligibleCents' | 'ineligibleCents' | 'pendingCents'
>;

/** An expenditure finance has verified, with its eligible part (what an IATI transaction reports). */
export interface VerifiedExpenditure {
  readonly expenditureId: string;
  readonly partnerId: string;
  readonly categoryId: string;
  /** Date of the supporting document: the transaction date and the value date. */
  readonly occurredOn: IsoDate;
  readonly eligibleCents: Cents;
}
