import { join } from 'node:path';
import type {
  AuditedFigure,
  BudgetReadModel,
  FigureSources,
  ProgressReadModel,
  VolumesReadModel,
} from '@ihl/application';
import type { EventStore } from '@ihl/event-store';
import {
  ProjectionRunner,
  activityVolumes,
  activityVolumesProjection,
  budgetOf,
  budgetProjection,
  budgetRecords,
  personsReached,
  createPersonsReachedProjection,
  personsReachedRecords,
  type Projection,
  type ProfileOpener,
} from '@ihl/projections';

/** The read models of the ledger; sealed profiles are opened with the person keys of this process. */
export function ledgerProjections(openProfile: ProfileOpener): Projection[] {
  return [createPersonsReachedProjection(openProfile), budgetProjection, activityVolumesProjection];
}

/** The queries every read-model set answers, live or frozen at a position. */
abstract class RunnerQueries implements ProgressReadModel, BudgetReadModel, VolumesReadModel, FigureSources {
  protected abstract get running(): ProjectionRunner;

  get reached(): number {
    return this.running.reached;
  }

  waitFor(position: number, timeoutMs: number): Promise<void> {
    return this.running.waitFor(position, timeoutMs);
  }

  personsReached(projectCode: string, partnerId?: string) {
    return personsReached(this.running.db, projectCode, partnerId);
  }

  activityVolumes(projectCode: string, partnerId?: string) {
    return activityVolumes(this.running.db, projectCode, partnerId);
  }

  budget(projectCode: string) {
    return budgetOf(this.running.db, projectCode);
  }

  recordsOf(figure: AuditedFigure, projectCode: string, partnerId?: string, categoryId?: string): string[] {
    return figure === 'persons-reached'
      ? personsReachedRecords(this.running.db, projectCode, partnerId)
      : budgetRecords(this.running.db, projectCode, partnerId, categoryId);
  }
}

/** The read models of this process, fed from the store; started by processes that serve queries. */
export class ReadModels extends RunnerQueries {
  private runner: ProjectionRunner | null = null;

  private readonly projections: Projection[];

  constructor(
    private readonly store: EventStore,
    private readonly dataDir: string,
    openProfile: ProfileOpener = () => null,
  ) {
    super();
    this.projections = ledgerProjections(openProfile);
  }

  async start(): Promise<void> {
    if (this.runner) return;
    this.runner = new ProjectionRunner({
      store: this.store,
      file: join(this.dataDir, 'read-models.sqlite'),
      projections: this.projections,
    });
    await this.runner.start();
  }

  protected get running(): ProjectionRunner {
    if (!this.runner) throw new Error('read models are not started in this process');
    return this.runner;
  }

  /**
   * The same read models as the ledger stood at `position`, replayed into memory: a report sent on
   * a given day can be reproduced exactly later.
   */
  async asOf(position: number): Promise<ReadModelsSnapshot> {
    const runner = new ProjectionRunner({ store: this.store, file: ':memory:', projections: this.projections });
    await runner.replayUntil(position);
    return new ReadModelsSnapshot(runner);
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = null;
  }
}

/** A frozen copy of the read models at one position; close it after use. */
export class ReadModelsSnapshot extends RunnerQueries {
  constructor(private readonly frozen: ProjectionRunner) {
    super();
  }

  protected get running(): ProjectionRunner {
    return this.frozen;
  }

  /** Nothing to wait for: the snapshot stands where it was replayed to. */
  override async waitFor(): Promise<void> {}

  close(): Promise<void> {
    return this.frozen.stop();
  }
}
