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
  budgetRecords,
  personsReachedRecords,
  activityVolumesProjection,
  budgetOf,
  budgetProjection,
  personsReached,
  personsReachedProjection,
} from '@ihl/projections';

/** The read models of this process, fed from the store; started by processes that serve queries. */
export class ReadModels implements ProgressReadModel, BudgetReadModel, VolumesReadModel, FigureSources {
  private runner: ProjectionRunner | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly dataDir: string,
  ) {}

  async start(): Promise<void> {
    if (this.runner) return;
    this.runner = new ProjectionRunner({
      store: this.store,
      file: join(this.dataDir, 'read-models.sqlite'),
      projections: PROJECTIONS,
    });
    await this.runner.start();
  }

  private get running(): ProjectionRunner {
    if (!this.runner) throw new Error('read models are not started in this process');
    return this.runner;
  }

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

  /**
   * The same read models as the ledger stood at `position`, replayed into memory: a report sent on
   * a given day can be reproduced exactly later.
   */
  async asOf(position: number): Promise<ReadModelsSnapshot> {
    const runner = new ProjectionRunner({ store: this.store, file: ':memory:', projections: PROJECTIONS });
    await runner.replayUntil(position);
    return new ReadModelsSnapshot(runner);
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = null;
  }
}

const PROJECTIONS = [personsReachedProjection, budgetProjection, activityVolumesProjection];

/** A frozen copy of the read models at one position; close it after use. */
export class ReadModelsSnapshot implements ProgressReadModel, BudgetReadModel, VolumesReadModel {
  constructor(private readonly runner: ProjectionRunner) {}
  get reached(): number {
    return this.runner.reached;
  }
  async waitFor(): Promise<void> {}
  personsReached(projectCode: string, partnerId?: string) {
    return personsReached(this.runner.db, projectCode, partnerId);
  }
  activityVolumes(projectCode: string, partnerId?: string) {
    return activityVolumes(this.runner.db, projectCode, partnerId);
  }
  budget(projectCode: string) {
    return budgetOf(this.runner.db, projectCode);
  }
  close(): Promise<void> {
    return this.runner.stop();
  }
}
