import { api } from '../../api';
import {
  partnerList,
  projectBase,
  query,
  type ExpenditureRow,
  type FinanceBudget,
  type FinanceProject,
} from './finance-data';

export interface QueuePage {
  readonly records: readonly ExpenditureRow[];
  readonly nextCursor: string | null;
}

export interface QueueData {
  readonly partners: readonly { id: string; name: string }[];
  readonly categories: readonly { id: string; name: string }[];
  readonly budget: FinanceBudget;
  readonly page: QueuePage;
}

/**
 * Finance's queue: the expenditures awaiting verification, oldest first. The expenditure list with
 * `state=pending&sort=recorded` answers exactly these (GET /verification-queue mixes in the activity
 * records the agency reviews, with no filter by record type, so a page of it may hold no expenditure).
 * `position` (a verdict's) makes the reads include that verdict.
 */
export async function loadQueue(code: string, partnerId: string, position?: number): Promise<QueueData> {
  const base = projectBase(code);
  const [project, budget, page] = await Promise.all([
    api.get<FinanceProject>(base),
    api.get<FinanceBudget>(`${base}/budget${query({ position })}`),
    loadQueuePage(code, partnerId, undefined, position),
  ]);
  return { partners: partnerList(project, budget), categories: project.budgetCategories, budget, page };
}

export function loadQueuePage(code: string, partnerId: string, after?: string, position?: number): Promise<QueuePage> {
  return api.get<QueuePage>(
    `${projectBase(code)}/expenditures${query({ state: 'pending', sort: 'recorded', partnerId, limit: 50, after, position })}`,
  );
}

/** GET /expenditures/:id: the declared fields (the description among them) and the history. */
export interface ExpenditureDetail {
  readonly fields: {
    readonly description?: string;
    readonly documentRef?: string;
    readonly occurredOn?: string;
    readonly categoryId?: string;
    readonly amount: string;
  };
  readonly revision: number;
}

export function loadExpenditure(code: string, id: string): Promise<ExpenditureDetail> {
  return api.get<ExpenditureDetail>(`${projectBase(code)}/expenditures/${encodeURIComponent(id)}`);
}

export interface Verdict {
  readonly eligible: string;
  readonly ineligible: string;
  readonly note?: string;
}

/** POST /expenditures/:id/verify; the answer's position lets the next reads include it. */
export async function verifyExpenditure(code: string, id: string, verdict: Verdict): Promise<number> {
  const answer = await api.post<{ position: number }>(
    `${projectBase(code)}/expenditures/${encodeURIComponent(id)}/verify`,
    verdict,
  );
  return answer.position;
}
