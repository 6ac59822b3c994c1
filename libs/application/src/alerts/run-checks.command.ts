import { Inject } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import {
  ALERT_CHECKS,
  alertsStreamId,
  decideRunOfChecks,
  foldAlerts,
  type AlertEvent,
  type CheckFacts,
  type CheckThresholds,
} from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { READ_MODELS, type ReadModelsPort } from '../as-of/as-of';
import { GetBudgetQuery, type BudgetView } from '../budget/get-budget.query';
import { GetProgressQuery, type ProgressView } from '../progress/get-progress.query';
import { CLOCK, type Clock } from '../shared/ports';
import { ProjectContext } from '../shared/project-context';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import { vilniusDate } from '../shared/vilnius-date';

/** Runs every check on a project now: raises what is new, resolves what is no longer found. */
export class RunChecksCommand {
  constructor(
    readonly projectCode: string,
    readonly thresholds: CheckThresholds,
    readonly context: RequestContext,
  ) {}
}

export interface RunChecksResult {
  readonly projectCode: string;
  readonly raised: number;
  readonly resolved: number;
  /** The alerts stream's revision and the log position after the run (unchanged when nothing was decided). */
  readonly revision: number;
  readonly position: number;
}

/** How long a run waits for the read models to reach the log's head before it gives up (and is retried). */
const CATCH_UP_MS = 60_000;

/**
 * Gathers the facts of a project (its definition and locks from its stream; the figures and the
 * waiting records from the read models, once they hold the whole log), runs every check and
 * decides on the project's alerts stream through the StreamWriter. Idempotent: the same facts
 * decide nothing the second time, and a concurrent run is decided again on the latest alerts.
 */
@CommandHandler(RunChecksCommand)
export class RunChecksHandler implements ICommandHandler<RunChecksCommand, RunChecksResult> {
  constructor(
    @Inject(StreamWriter) private readonly writer: StreamWriter,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelsPort,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ProjectContext) private readonly projects: ProjectContext,
  ) {}

  async execute(c: RunChecksCommand): Promise<RunChecksResult> {
    const facts = await this.facts(c);
    const findings = ALERT_CHECKS.flatMap((check) => check.find(facts));
    let decided: AlertEvent[] = [];
    const written = await this.writer.write(c.context, {
      streamId: alertsStreamId(c.projectCode),
      fold: foldAlerts,
      decide: (state) => (decided = decideRunOfChecks(state, { checks: ALERT_CHECKS.map((k) => k.name), findings })),
    });
    return {
      projectCode: c.projectCode,
      raised: decided.filter((e) => e.type === 'AlertRaised').length,
      resolved: decided.filter((e) => e.type === 'AlertResolved').length,
      revision: written.revision,
      position: written.position,
    };
  }

  private async facts(c: RunChecksCommand): Promise<CheckFacts> {
    const project = await this.projects.load(c.projectCode);
    const today = vilniusDate(this.clock.now());
    // Figures as an agency auditor sees them, once the read models hold every event written so far.
    const params = {
      projectCode: c.projectCode,
      actor: { subject: c.context.actor.subject, role: 'agency-auditor' as const },
      atLeastPosition: await this.store.headPosition(),
      waitMs: CATCH_UP_MS,
    };
    const progress = await this.queries.execute<GetProgressQuery, ProgressView>(new GetProgressQuery(params));
    const budget = await this.queries.execute<GetBudgetQuery, BudgetView>(new GetBudgetQuery(params));
    const { pending, last, findings, certificates } = this.readModels.consistently(() => ({
      pending: this.readModels.pendingRecords(c.projectCode),
      last: this.readModels.lastSubmissions(c.projectCode),
      findings: this.readModels.openFindings(c.projectCode),
      certificates: this.readModels.certificatesOf(c.projectCode),
    }));
    const day = (instant: string) => vilniusDate(new Date(instant));
    return {
      today,
      thresholds: c.thresholds,
      project: {
        period: project.definition.period,
        reportingPeriod: project.definition.reportingPeriod,
        lockedPeriods: project.lockedPeriods,
        partners: [...project.partners.values()].map((p) => ({ partnerId: p.id, joinedOn: p.joinedOn })),
      },
      partnerProgress: progress.partners,
      budgetLines: budget.lines,
      pendingRecords: pending.map(({ recordedAt, ...r }) => ({ ...r, recordedOn: day(recordedAt) })),
      lastSubmittedOn: new Map([...last].map(([partnerId, at]) => [partnerId, day(at)])),
      openFindings: findings,
      certificates,
    };
  }
}
