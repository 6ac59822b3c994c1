import type { BudgetFigures } from '@ihl/domain';

export interface BudgetReadModel {
  readonly reached: number;
  waitFor(position: number, timeoutMs: number): Promise<void>;
  /** Null when the project is not in the read model (yet). */
  budget(projectCode: string): BudgetFigures | null;
  /** Expenditures with a verified eligible part, by document date, then in the order declared. */
  verifiedExpenditures(projectCode: string): VerifiedExpenditureRow[];
}

export interface VerifiedExpenditureRow {
  readonly expenditureId: string;
  readonly partnerId: string;
  readonly categoryId: string;
  readonly occurredOn: string;
  readonly eligibleCents: number;
}

export const BUDGET_READ_MODEL = Symbol('BUDGET_READ_MODEL');
