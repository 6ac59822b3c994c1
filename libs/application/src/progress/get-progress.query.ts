import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { loadProject } from '../shared/project-context';
import type { Actor } from '../shared/request-context';
import { PROGRESS_READ_MODEL, type ProgressReadModel } from './progress-read-model.port';

export class GetProgressQuery {
  constructor(
    readonly projectCode: string,
    readonly actor: Actor,
    /** Read-your-writes: the position a write returned. */
    readonly atLeastPosition: number | undefined,
    readonly waitMs = 2000,
  ) {}
}

export interface ProgressView {
  readonly projectCode: string;
  readonly targets: readonly {
    id: string;
    title: string;
    value: number;
    deadline: string;
    actual: number;
    share: number;
  }[];
  readonly personsReached: number;
  /** Partners see their own entry only. */
  readonly byPartner: Readonly<Record<string, number>>;
  readonly position: number;
}

/** Unique persons reached against the unique-persons targets of the definition. */
@QueryHandler(GetProgressQuery)
export class GetProgressHandler implements IQueryHandler<GetProgressQuery, ProgressView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROGRESS_READ_MODEL) private readonly readModel: ProgressReadModel,
  ) {}

  async execute(q: GetProgressQuery): Promise<ProgressView> {
    if (q.atLeastPosition !== undefined) await this.readModel.waitFor(q.atLeastPosition, q.waitMs);
    const project = await loadProject(this.store, q.projectCode);
    const position = this.readModel.reached;
    const figures = this.readModel.personsReached(q.projectCode);
    const own = q.actor.role === 'partner-submitter' ? q.actor.partnerId : undefined;
    return {
      projectCode: q.projectCode,
      targets: project.definition.targets
        .filter((t) => t.indicator === 'unique-persons-reached')
        .map((t) => ({
          id: t.id,
          title: t.title,
          value: t.value,
          deadline: t.deadline,
          actual: figures.reached,
          share: Math.round((figures.reached / t.value) * 10_000) / 10_000,
        })),
      personsReached: own ? (figures.byPartner[own] ?? 0) : figures.reached,
      byPartner: own ? { [own]: figures.byPartner[own] ?? 0 } : figures.byPartner,
      position,
    };
  }
}
