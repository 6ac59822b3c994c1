import type { BudgetFigures } from '@ihl/domain';

export interface BudgetReadModel {
  readonly reached: number;
  waitFor(position: number, timeoutMs: number): Promise<void>;
  /** Null when the project is not in the read model (yet). */
  budget(projectCode: string): BudgetFigures | null;
}

export const BUDGET_READ_MODEL = Symbol('BUDGET_READ_MODEL');
