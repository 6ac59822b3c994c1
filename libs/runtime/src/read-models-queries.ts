import type {
  AlertsReadModel,
  AuditedFigure,
  BudgetReadModel,
  DateRange,
  FigureFilters,
  FigurePageAt,
  FigureSources,
  ProgressReadModel,
  RecordCursor,
  RecordListFilter,
  RecordListsReadModel,
  RecordSort,
  VolumesReadModel,
} from '@ihl/application';
import {
  ReadModelNotCaughtUpError,
  StatementCache,
  activityVolumes,
  alertsPage,
  auditPageAt,
  budgetOf,
  checkedProjects,
  lastSubmissions,
  pendingRecords,
  expenditureRegister,
  listRecords,
  personsReached,
  verificationQueue,
  spendingBetween,
  verifiedExpenditures,
  type ProjectionRunner,
} from '@ihl/projections';

/** What the queries need of a read-model file: kept by a runner here, or followed read-only. */
export interface ReadModelSource {
  readonly db: ProjectionRunner['db'];
  readonly reached: number;
  /** True while the file is being replayed from 0 in bulk (its tables are incomplete), or holds other versions. */
  readonly replaying?: boolean;
  waitFor(position: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** The queries every read-model set answers, live or frozen at a position. */
export abstract class RunnerQueries
  implements ProgressReadModel, BudgetReadModel, VolumesReadModel, FigureSources, AlertsReadModel, RecordListsReadModel
{
  protected abstract get running(): ReadModelSource;

  private statements: StatementCache | null = null;

  /** The statements of the source in use, each prepared once (a swap brings another connection). */
  private get sql(): StatementCache {
    const db = this.running.db;
    if (this.statements?.db !== db) this.statements = new StatementCache(db);
    return this.statements;
  }

  get reached(): number {
    return this.running.reached;
  }

  /** One read transaction around a whole answer, so the position and every figure agree. */
  consistently<T>(read: () => T): T {
    const source = this.running;
    const db = source.db;
    if (db.inTransaction) return read();
    db.exec('begin');
    try {
      // A file another process is rebuilding in place holds half its figures: none are served.
      if (source.replaying) throw new ReadModelNotCaughtUpError(1, 0);
      return read();
    } finally {
      if (db.inTransaction) db.exec('commit');
    }
  }

  waitFor(position: number, timeoutMs: number): Promise<void> {
    return this.running.waitFor(position, timeoutMs);
  }

  personsReached(projectCode: string, partnerId?: string, options?: { entrants?: boolean; share?: boolean }) {
    return personsReached(this.sql, projectCode, partnerId, options);
  }

  activityVolumes(projectCode: string, partnerId?: string, between?: DateRange) {
    return activityVolumes(this.sql, projectCode, partnerId, between);
  }

  spendingBetween(projectCode: string, between: DateRange, partnerId?: string) {
    return spendingBetween(this.sql, projectCode, between, partnerId);
  }

  budget(projectCode: string) {
    return budgetOf(this.sql, projectCode);
  }

  verifiedExpenditures(projectCode: string) {
    return verifiedExpenditures(this.sql, projectCode);
  }

  alertsPage(projectCode: string, request: Parameters<AlertsReadModel['alertsPage']>[1]) {
    return alertsPage(this.sql, projectCode, request);
  }

  pendingRecords(projectCode: string) {
    return pendingRecords(this.sql, projectCode);
  }

  lastSubmissions(projectCode: string) {
    return lastSubmissions(this.sql, projectCode);
  }

  checkedProjects() {
    return checkedProjects(this.sql);
  }

  listRecords(
    filter: RecordListFilter,
    sort: RecordSort,
    after: RecordCursor | null,
    limit: number,
    partners: readonly string[],
  ) {
    return listRecords(this.sql, filter, sort, after, limit, partners);
  }

  verificationQueue(projectCode: string, partners: readonly string[], after: RecordCursor | null, limit: number) {
    return verificationQueue(this.sql, projectCode, partners, after, limit);
  }

  expenditureRegister(projectCode: string, between: { from?: string; to?: string }, partnerId: string | undefined) {
    return expenditureRegister(this.sql, projectCode, between, partnerId);
  }

  eventsOf(figure: AuditedFigure, projectCode: string, filters: FigureFilters, at: FigurePageAt, pageSize: number) {
    return this.consistently(() => auditPageAt(this.sql, { projectCode, figure, ...filters }, at, pageSize));
  }
}

/** A frozen copy of the read models at one position; close it after use. */
export class ReadModelsSnapshot extends RunnerQueries {
  constructor(
    private readonly frozen: ProjectionRunner,
    /** Hands the snapshot back (to the cache that lent it). */
    private readonly release: () => Promise<void>,
  ) {
    super();
  }

  protected get running(): ProjectionRunner {
    return this.frozen;
  }

  /** Nothing to wait for: the snapshot stands where it was replayed to. */
  override async waitFor(): Promise<void> {}

  close(): Promise<void> {
    return this.release();
  }
}
