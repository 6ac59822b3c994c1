import { api } from '../../api';
import { withAsOf } from '../../as-of';
import {
  partnerList,
  projectBase,
  query,
  type ExpenditureRow,
  type FinanceBudget,
  type FinanceProject,
} from './finance-data';

export interface RegisterAnswer {
  readonly expenditures: readonly ExpenditureRow[];
  readonly totals: {
    readonly count: number;
    readonly declared: string;
    readonly eligible: string;
    readonly ineligible: string;
    readonly pending: string;
  };
  readonly position: number;
}

export interface RegisterData {
  readonly project: FinanceProject;
  readonly partners: readonly { id: string; name: string }[];
  readonly register: RegisterAnswer;
}

/** GET /expenditure-register for a period (a quarter or a month; empty: all) and a partner (empty: all). */
export async function loadRegister(code: string, period: string, partnerId: string): Promise<RegisterData> {
  const base = projectBase(code);
  const [project, budget, register] = await Promise.all([
    api.get<FinanceProject>(base),
    api.get<FinanceBudget>(`${base}/budget`),
    api.get<RegisterAnswer>(`${base}/expenditure-register${query({ period, partnerId })}`),
  ]);
  return { project, partners: partnerList(project, budget), register };
}

/** The same register as a file: the API's own export, downloaded by a plain link with the session cookie. */
export function registerFileUrl(code: string, period: string, partnerId: string, format: 'csv' | 'excel' | 'xlsx') {
  const file = format === 'excel' ? { format: 'csv', dialect: 'excel' } : { format };
  return withAsOf(`${projectBase(code)}/expenditure-register${query({ period, partnerId, ...file })}`);
}
