import { UnrecoverableError } from 'bullmq';
import { DomainForbiddenError, DomainNotFoundError, DomainValidationError } from '@ihl/domain';
import {
  GetActivityVolumesQuery,
  GetBudgetQuery,
  GetEsfIndicatorsQuery,
  GetExpenditureQuery,
  GetFigureEventsQuery,
  GetProgressQuery,
  ROLES,
  parseAsOf,
  type Actor,
  type ActivityVolumesView,
  type AsOf,
  type BudgetView,
  type EsfIndicatorTable,
  type ExpenditureView,
  type FigureEventsView,
  type ProgressView,
} from '@ihl/application';
import type { ReportWorkbookPayload } from './job-registry';

/** The application's query bus (or anything answering its queries the same way). */
export interface ReportQueries {
  execute<T>(query: object): Promise<T>;
}

/** What a report pack shows, every view read at one ledger position. */
export interface ReportViews {
  readonly position: number;
  readonly progress: ProgressView;
  readonly volumes: ActivityVolumesView;
  /** The project's budget, or a partner's own lines and totals. */
  readonly budget: BudgetView;
  readonly esf: EsfIndicatorTable;
  /** The expenditures behind the budget, each as its record stood at the position; null when not asked for. */
  readonly register: readonly ExpenditureView[] | null;
}

const EVENTS_PAGE = 500;

/** A refusal of the ledger's (no such project, not yours, bad point) is the same on a retry. */
export function unrecoverable(e: unknown): never {
  const refused =
    e instanceof DomainValidationError || e instanceof DomainForbiddenError || e instanceof DomainNotFoundError;
  if (refused) throw new UnrecoverableError(e.message);
  throw e;
}

function actorOf(p: ReportWorkbookPayload): Actor {
  const role = ROLES.find((r) => r === p.actor.role);
  if (!role) throw new UnrecoverableError(`no role ${p.actor.role}`);
  return { subject: p.actor.subject, role, ...(p.actor.partnerId ? { partnerId: p.actor.partnerId } : {}) };
}

/** The point asked for: a day keeps its meaning (an ESF+ period runs to it); else the position fixed at enqueue. */
function askedPoint(p: ReportWorkbookPayload): AsOf | undefined {
  if (p.asOf !== undefined) return parseAsOf(p.asOf) ?? undefined;
  return p.position === undefined ? undefined : { position: p.position };
}

/**
 * Every view of the report with the same queries as the synchronous exports. The first fixes the
 * position the others are read at (the one the API fixed when asked, or the head for an older job).
 */
export async function readReportViews(
  queries: ReportQueries,
  p: ReportWorkbookPayload,
  options: { readonly register: boolean; readonly progress: (done: number) => Promise<void> },
): Promise<ReportViews> {
  const actor = actorOf(p);
  const base = { projectCode: p.projectCode, actor };
  const partnerId = p.partnerId;
  const progress = await queries.execute<ProgressView>(
    new GetProgressQuery({ ...base, asOf: askedPoint(p), partnerId }),
  );
  const at = { ...base, asOf: askedPoint(p) ?? { position: progress.position } };
  await options.progress(1);
  const volumes = await queries.execute<ActivityVolumesView>(new GetActivityVolumesQuery({ ...at, partnerId }));
  await options.progress(2);
  // A partner's budget is its own lines and totals (the query narrows a partner's token to them).
  const budget = await queries.execute<BudgetView>(new GetBudgetQuery({ ...at, partnerId, dates: {} }));
  await options.progress(3);
  const esf = await queries.execute<EsfIndicatorTable>(new GetEsfIndicatorsQuery(at));
  await options.progress(4);
  const register = options.register ? await expenditures(queries, at, partnerId ?? actor.partnerId) : null;
  await options.progress(5);
  return { position: progress.position, progress, volumes, budget, esf, register };
}

/**
 * The expenditures behind the budget figure at the position, each read as its record stood then.
 * The budget's audit trail is closed to partners (it holds every partner's allocations), so the ids
 * of a partner's own expenditures are listed by the agency's reading narrowed to that partner; each
 * is then read with the requester's own token, which refuses a record that is not theirs.
 * The read models keep no document reference, description or revision, hence the record reads.
 */
async function expenditures(
  queries: ReportQueries,
  at: { projectCode: string; actor: Actor; asOf: AsOf },
  partnerId: string | undefined,
): Promise<ExpenditureView[]> {
  const lister: Actor =
    at.actor.role === 'partner-submitter' ? { subject: at.actor.subject, role: 'agency-auditor' } : at.actor;
  const ids = new Set<string>();
  for (let page = 1; ; page++) {
    const view = await queries.execute<FigureEventsView>(
      new GetFigureEventsQuery({
        ...at,
        actor: lister,
        figure: 'budget',
        filters: partnerId ? { partnerId } : {},
        page,
        pageSize: EVENTS_PAGE,
      }),
    );
    for (const e of view.events)
      if (e.streamId.startsWith('expenditure-')) ids.add(e.streamId.slice('expenditure-'.length));
    if (page * EVENTS_PAGE >= view.totalEvents) break;
  }
  const out: ExpenditureView[] = [];
  for (const expenditureId of ids)
    out.push(await queries.execute<ExpenditureView>(new GetExpenditureQuery({ ...at, expenditureId })));
  return out;
}
