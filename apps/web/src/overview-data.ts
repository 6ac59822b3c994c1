import { api, ApiError, type Actor } from './api';
import pageReads from './page-reads.json';

/** The parts of GET /progress the overview draws (see docs/api.md). */
export interface ProgressAnswer {
  readonly personsReached: number;
  readonly position: number;
  readonly partnerId: string | null;
  readonly targets: readonly {
    readonly id: string;
    readonly title: string;
    readonly value: number;
    readonly deadline: string;
    readonly actual: number;
    readonly share: number;
    readonly pacePerMonth: number;
    readonly forecastAtDeadline: number;
    readonly targetReachedMonth: string | null;
    readonly onTrack: boolean;
  }[];
  readonly curve: readonly { month: string; newPersons: number; cumulative: number; trajectory: number }[];
  readonly partners: readonly {
    readonly partnerId: string;
    readonly target: number;
    readonly actual: number;
    readonly expectedToDate: number;
    readonly forecastAtDeadline: number;
    readonly behind: boolean;
  }[];
}

export interface BudgetSums {
  readonly allocated: string;
  readonly declared: string;
  readonly eligible: string;
  readonly pending: string;
}

export interface BudgetAnswer {
  readonly envelope: string;
  readonly total: BudgetSums;
  readonly position: number;
}

export interface ProjectAnswer {
  readonly code: string;
  readonly title: string;
  readonly titleEn?: string;
  readonly period: { readonly start: string; readonly end: string };
  readonly partners: readonly { readonly id: string; readonly name: string }[];
}

export interface Overview {
  readonly project: ProjectAnswer;
  readonly progress: ProgressAnswer;
  /** Null for a role that may not read the budget (a partner). */
  readonly budget: BudgetAnswer | null;
}

/** The three reads behind the overview, at once: the page's HTML preloads the same (web-app.middleware.ts). */
export async function loadOverview(code: string, actor: Actor): Promise<Overview> {
  const base = `/api/v1/projects/${encodeURIComponent(code)}`;
  const [project, progress, budget] = await Promise.all([
    api.getPreloaded<ProjectAnswer>(base),
    api.getPreloaded<ProgressAnswer>(`${base}/progress`),
    pageReads.budgetRoles.includes(actor.role)
      ? api.getPreloaded<BudgetAnswer>(`${base}/budget`)
      : Promise.resolve(null),
  ]);
  return { project, progress, budget };
}

/** Reads of "last record" in flight at once: a page of many partners should not queue dozens on the server. */
const LAST_RECORD_READS = 4;

/**
 * When each partner last recorded something: the time of the last event behind its volumes
 * (GET /audit, one event per page, the last page), a few partners at a time. The overview asks
 * once its chart is drawn; null for a partner with nothing recorded.
 */
export async function loadLastRecords(
  code: string,
  partnerIds: readonly string[],
): Promise<Record<string, string | null>> {
  const base = `/api/v1/projects/${encodeURIComponent(code)}/audit?figure=volumes&pageSize=1`;
  type Page = { totalEvents: number; events: readonly { recordedAt: string }[] };
  const lastOf = async (id: string): Promise<string | null> => {
    try {
      const first = await api.get<Page>(`${base}&partnerId=${encodeURIComponent(id)}`);
      if (first.totalEvents === 0) return null;
      const last = await api.get<Page>(`${base}&partnerId=${encodeURIComponent(id)}&page=${first.totalEvents}`);
      return last.events[0]?.recordedAt ?? null;
    } catch (e) {
      if (e instanceof ApiError) return null;
      throw e;
    }
  };
  const found: Record<string, string | null> = {};
  const queue = [...partnerIds];
  const reader = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) found[id] = await lastOf(id);
  };
  await Promise.all(Array.from({ length: Math.min(LAST_RECORD_READS, queue.length) }, reader));
  return found;
}
