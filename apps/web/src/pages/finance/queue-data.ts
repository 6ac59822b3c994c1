import { api, ApiError, csrfHeaders, type ApiIssue } from '../../api';
import {
  partnerList,
  projectBase,
  query,
  type ExpenditureRow,
  type FinanceBudget,
  type FinanceProject,
} from './finance-data';

/** A queued expenditure: the list's row and how many whole days it has waited since recorded. */
export type QueuedExpenditure = ExpenditureRow & { readonly ageDays: number };

export interface QueuePage {
  readonly records: readonly QueuedExpenditure[];
  readonly nextCursor: string | null;
}

export interface QueueData {
  readonly partners: readonly { id: string; name: string }[];
  readonly categories: readonly { id: string; name: string }[];
  readonly budget: FinanceBudget;
  readonly page: QueuePage;
}

/**
 * Finance's queue: the expenditures awaiting verification, oldest first, from the verification
 * queue narrowed to expenditures (the agency reviews the activity records in the same queue).
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
    `${projectBase(code)}/verification-queue${query({ record: 'expenditure', partnerId, limit: 50, after, position })}`,
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

/**
 * Read live, never at the page's as-of day: a verdict is checked against the revision it carries,
 * and an old one would be refused as "changed meanwhile".
 */
export function loadExpenditure(code: string, id: string): Promise<ExpenditureDetail> {
  return send<ExpenditureDetail>(`${projectBase(code)}/expenditures/${encodeURIComponent(id)}`, {
    headers: { Accept: 'application/json' },
  });
}

/** A request built here (not by api.ts: no as-of day, an If-Match header); errors as ApiError. */
async function send<T>(path: string, init: RequestInit): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', ...init });
  const json = (await res.json().catch(() => ({}))) as { message?: string; issues?: ApiIssue[] };
  if (!res.ok) throw new ApiError(res.status, json.message ?? res.statusText, json.issues);
  return json as T;
}

export interface Verdict {
  readonly eligible: string;
  readonly ineligible: string;
  readonly ineligibleReason?: string;
  readonly note?: string;
}

/**
 * POST /expenditures/:id/verify with the revision the panel read in If-Match, so a verdict on an
 * expenditure changed meanwhile (another officer's verdict, a correction) is refused with 412
 * rather than overwriting it. The answer's position lets the next reads include the verdict.
 */
export async function verifyExpenditure(code: string, id: string, verdict: Verdict, revision: number): Promise<number> {
  const answer = await send<{ position: number }>(
    `${projectBase(code)}/expenditures/${encodeURIComponent(id)}/verify`,
    {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        ...csrfHeaders(),
        'If-Match': `"${revision}"`,
      },
      body: JSON.stringify(verdict),
    },
  );
  return answer.position;
}
