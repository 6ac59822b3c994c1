import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  activityStreamId,
  DomainNotFoundError,
  foldActivity,
  type ActivityEvent,
  type ActivityState,
} from '@ihl/domain';
import type { AsOf } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { toDomainEvent } from '../shared/event-mapping';
import { toHistory, type HistoryEntry } from '../shared/history';
import type { Actor } from '../shared/request-context';

export class GetActivityQuery {
  readonly projectCode: string;
  readonly activityId: string;
  readonly actor: Actor;
  /** The record as it stood at the end of a day or at a position: its events up to there. */
  readonly asOf?: AsOf;

  constructor(params: {
    readonly projectCode: string;
    readonly activityId: string;
    readonly actor: Actor;
    readonly asOf?: AsOf | undefined;
  }) {
    this.projectCode = params.projectCode;
    this.activityId = params.activityId;
    this.actor = params.actor;
    this.asOf = params.asOf;
  }
}

export interface ActivityView {
  readonly state: Exclude<ActivityState, { status: 'none' }>;
  readonly revision: number;
  readonly history: readonly HistoryEntry[];
}

/** One record with its whole history (recorded, corrections with previous values, review). */
@QueryHandler(GetActivityQuery)
export class GetActivityHandler implements IQueryHandler<GetActivityQuery, ActivityView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetActivityQuery): Promise<ActivityView> {
    const stored = await this.figures.streamAsOf(activityStreamId(q.activityId), q.asOf);
    const state = foldActivity(stored.map((e) => toDomainEvent<ActivityEvent>(e)));
    // Another partner's record, or another project's, is simply not there.
    if (state.status === 'none' || state.projectCode !== q.projectCode)
      throw new DomainNotFoundError('no such activity');
    if (q.actor.role === 'partner-submitter' && q.actor.partnerId !== state.partnerId)
      throw new DomainNotFoundError('no such activity');
    return {
      state,
      revision: stored[stored.length - 1]!.revision,
      history: toHistory(stored),
    };
  }
}
