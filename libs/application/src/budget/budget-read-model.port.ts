import type { BudgetFigures, Cents, IsoDate } from '@ihl/domain';

export interface BudgetReadModel {
  readonly reached: number;
  waitFor(position: number, timeoutMs: number): Promise<void>;
  /** Null when the project is not in the read model (yet). */
  budget(projectCode: string): BudgetFigures | null;
  /** Expenditures with a verified eligible part, by document date, then in the order declared. */
  verifiedExpenditures(projectCode: string): VerifiedExpenditure[];
}

/** An expenditure finance has verified, with its eligible part (what an IATI transaction reports). */
export interface VerifiedExpenditure {
  readonly expenditureId: string;
  readonly partnerId: string;
  readonly categoryId: string;
  /** Date of the supporting document: the transaction date and the value date. */
  readonly occurredOn: IsoDate;
  readonly eligibleCents: Cents;
}
