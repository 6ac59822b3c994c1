import { api, type Actor } from '../../api';
import type { ProjectAnswer } from '../../overview-data';

/** The money figures of one budget line or a sum of lines, as GET /budget writes them. */
export interface MoneySums {
  readonly allocated: string;
  readonly declared: string;
  readonly eligible: string;
  readonly ineligible: string;
  readonly pending: string;
  readonly remaining: string;
}

export interface BudgetLineAnswer extends MoneySums {
  readonly partnerId: string;
  readonly categoryId: string;
  readonly overSpent: boolean;
}

export interface BurnMonth {
  readonly month: string;
  readonly declared: string;
  readonly eligible: string;
  readonly cumulativeDeclared: string;
}

/** GET /budget for the whole project (see docs/api.md). */
export interface FinanceBudget {
  readonly envelope: string;
  readonly lines: readonly BudgetLineAnswer[];
  readonly byPartner: Readonly<Record<string, MoneySums>>;
  readonly total: MoneySums & { readonly unallocated: string };
  readonly flags: { readonly overAllocated: boolean; readonly overSpentLines: number };
  readonly reconciliation: { readonly ok: boolean; readonly differences: readonly unknown[] };
  readonly spending?: {
    readonly burn: readonly BurnMonth[];
    readonly monthlyPace: string;
    readonly paceMonths: number;
    readonly forecastAtEnd: string;
    readonly forecastUnspent: string;
    readonly envelopeExhaustedMonth: string | null;
  };
  readonly position: number;
}

export interface FinanceProject extends ProjectAnswer {
  readonly budgetCategories: readonly { readonly id: string; readonly name: string }[];
}

/** An expenditure as the lists and the register write it. */
export interface ExpenditureRow {
  readonly id: string;
  readonly partnerId: string;
  readonly categoryId: string | null;
  readonly occurredOn: string;
  readonly recordedAt: string;
  readonly state: string;
  readonly documentRef: string | null;
  readonly verdictNote: string | null;
  /** The code of INELIGIBILITY_REASONS a verdict gave its ineligible part (none before the list). */
  readonly ineligibleReason?: string | null;
  readonly amount: string;
  readonly eligible: string | null;
  readonly ineligible: string | null;
}

/** Finance's pages are for the roles that may read the budget; a partner's are elsewhere. */
export const FINANCE_ROLES: readonly Actor['role'][] = ['finance-officer', 'agency-auditor', 'admin'];
export const mayVerify = (actor: Actor) => actor.role === 'finance-officer';

export const projectBase = (code: string) => `/api/v1/projects/${encodeURIComponent(code)}`;

export async function loadFinanceHome(code: string): Promise<{ project: FinanceProject; budget: FinanceBudget }> {
  const base = projectBase(code);
  const [project, budget] = await Promise.all([
    api.get<FinanceProject>(base),
    api.get<FinanceBudget>(`${base}/budget`),
  ]);
  return { project, budget };
}

/** A query string of the values given, in order; empty ones left out. */
export function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Every partner the figures name: the project's own, then any registered later (shown by id). */
export function partnerList(project: FinanceProject, budget: FinanceBudget): { id: string; name: string }[] {
  const named = project.partners.map((p) => ({ id: p.id, name: p.name }));
  const later = Object.keys(budget.byPartner)
    .filter((id) => !named.some((p) => p.id === id))
    .sort()
    .map((id) => ({ id, name: id }));
  return [...named, ...later];
}

/** A category's name in the page's language when the dictionary has one, else the project's. */
export function categoryName(
  names: Record<string, string>,
  data: { readonly categories: readonly { id: string; name: string }[] },
  id: string | null,
): string {
  if (!id) return '—';
  return names[id] ?? data.categories.find((c) => c.id === id)?.name ?? id;
}
