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
  QualityReadModel,
  ScoAuditBasis,
  SimplifiedCostsReadModel,
  ScoReportedBy,
  VolumesReadModel,
} from '@ihl/application';
import {
  ReadModelNotCaughtUpError,
  StatementCache,
  activityVolumes,
  coordinatorServices,
  alertsPage,
  auditPageAt,
  budgetOf,
  claimFiguresOf,
  checkedProjects,
  lastSubmissions,
  openFindings,
  inspectionsPage,
  certificatesOf,
  surveysOf,
  findingCounts,
  pendingRecords,
  expenditureRegister,
  listRecords,
  personsReached,
  personsTallies,
  verificationQueue,
  positionAtEndOfHour,
  spendingBetween,
  verifiedExpenditures,
  scoVolumeSums,
  eligibleSums,
  scoAuditPageAt,
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

/** Per connection: every query set reading it (live, or as of any position) shares its statements. */
const STATEMENTS = new WeakMap<ProjectionRunner['db'], StatementCache>();

/** The queries every read-model set answers, live or as of a position. */
export abstract class RunnerQueries
  implements
    ProgressReadModel,
    BudgetReadModel,
    VolumesReadModel,
    FigureSources,
    AlertsReadModel,
    RecordListsReadModel,
    SimplifiedCostsReadModel,
    QualityReadModel
{
  protected abstract get running(): ReadModelSource;

  /** The statements of the source in use, each prepared once per connection (a swap brings another). */
  private get sql(): StatementCache {
    const db = this.running.db;
    let statements = STATEMENTS.get(db);
    if (!statements) STATEMENTS.set(db, (statements = new StatementCache(db)));
    return statements;
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

  /** A figure's answer: read now here; an as-of set keeps repeated ones (as-of-read-models.ts). */
  protected answer<T>(_query: string, _args: readonly unknown[], read: () => T): T {
    return read();
  }

  /** As of a point: the tallies are counted from the persons' rows then (persons-reached-as-of.query.ts). */
  protected get talliesFromPersons(): boolean {
    return false;
  }

  personsReached(projectCode: string, partnerId?: string, options?: { entrants?: boolean; share?: boolean }) {
    return this.answer('personsReached', [projectCode, partnerId, options], () =>
      personsReached(
        this.sql,
        projectCode,
        partnerId,
        options,
        this.talliesFromPersons ? personsTallies(this.sql) : undefined,
      ),
    );
  }

  activityVolumes(projectCode: string, partnerId?: string, between?: DateRange) {
    return this.answer('activityVolumes', [projectCode, partnerId, between], () =>
      activityVolumes(this.sql, projectCode, partnerId, between),
    );
  }

  coordinatorServices(projectCode: string, partnerId: string, between: DateRange) {
    return this.answer('coordinatorServices', [projectCode, partnerId, between], () =>
      coordinatorServices(this.sql, projectCode, partnerId, between),
    );
  }

  spendingBetween(projectCode: string, between: DateRange, partnerId?: string) {
    return this.answer('spendingBetween', [projectCode, between, partnerId], () =>
      spendingBetween(this.sql, projectCode, between, partnerId),
    );
  }

  budget(projectCode: string) {
    return this.answer('budget', [projectCode], () => budgetOf(this.sql, projectCode));
  }

  verifiedExpenditures(projectCode: string) {
    return this.answer('verifiedExpenditures', [projectCode], () => verifiedExpenditures(this.sql, projectCode));
  }

  scoVolumeSums(
    projectCode: string,
    basis: Parameters<SimplifiedCostsReadModel['scoVolumeSums']>[1],
    reportedBy?: ScoReportedBy,
  ) {
    return scoVolumeSums(this.sql, projectCode, basis, reportedBy);
  }

  eligibleSums(projectCode: string, categories: readonly string[], reportedBy?: ScoReportedBy) {
    return eligibleSums(this.sql, projectCode, categories, reportedBy);
  }

  claimFigures(projectCode: string) {
    return claimFiguresOf(this.sql, projectCode);
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

  openFindings(projectCode: string) {
    return openFindings(this.sql, projectCode);
  }

  checkedProjects() {
    return checkedProjects(this.sql);
  }

  inspectionsPage(request: Parameters<QualityReadModel['inspectionsPage']>[0]) {
    return inspectionsPage(this.sql, request);
  }

  certificatesOf(projectCode: string, partnerId?: string) {
    return certificatesOf(this.sql, projectCode, partnerId);
  }

  surveysOf(projectCode: string, partnerId?: string) {
    return surveysOf(this.sql, projectCode, partnerId);
  }

  findingCounts(projectCode: string, today: string) {
    return findingCounts(this.sql, projectCode, today);
  }

  listRecords(
    filter: RecordListFilter,
    sort: RecordSort,
    after: RecordCursor | null,
    limit: number,
    partners: readonly string[],
    backwards?: boolean,
  ) {
    return listRecords(this.sql, filter, sort, after, limit, partners, backwards);
  }

  verificationQueue(
    projectCode: string,
    partners: readonly string[],
    after: RecordCursor | null,
    limit: number,
    record?: 'activity' | 'expenditure',
  ) {
    return verificationQueue(this.sql, projectCode, partners, after, limit, record);
  }

  expenditureRegister(
    projectCode: string,
    between: { from?: string; to?: string; reportedPeriod?: string },
    partnerId: string | undefined,
  ) {
    return expenditureRegister(this.sql, projectCode, between, partnerId);
  }

  /** The position reached at the end of a UTC hour, if an event recorded after it has been applied. */
  positionAtEndOfHour(hour: string): number | null {
    return positionAtEndOfHour(this.sql, hour);
  }

  eventsOf(
    figure: Exclude<AuditedFigure, 'sco'>,
    projectCode: string,
    filters: FigureFilters,
    at: FigurePageAt,
    pageSize: number,
  ) {
    return this.answer('eventsOf', [figure, projectCode, filters, at, pageSize], () =>
      this.consistently(() => auditPageAt(this.sql, { projectCode, figure, ...filters }, at, pageSize)),
    );
  }

  scoEventsOf(
    projectCode: string,
    basis: ScoAuditBasis,
    partnerId: string | undefined,
    at: FigurePageAt,
    pageSize: number,
  ) {
    return this.answer('scoEventsOf', [projectCode, basis, partnerId, at, pageSize], () =>
      this.consistently(() => scoAuditPageAt(this.sql, projectCode, basis, partnerId, at, pageSize)),
    );
  }
}
