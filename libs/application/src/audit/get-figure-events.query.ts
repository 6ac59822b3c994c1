import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainForbiddenError, projectStreamId, type ActivityKind } from '@ihl/domain';
import { EVENT_STORE, type EventStore, type JsonValue } from '@ihl/event-store';
import type { Actor } from '../shared/request-context';

export const AUDITED_FIGURES = ['persons-reached', 'budget', 'volumes'] as const;
export type AuditedFigure = (typeof AUDITED_FIGURES)[number];

/** Narrows a figure to one partner, one budget category (budget) or one activity kind (volumes). */
export interface FigureFilters {
  readonly partnerId?: string;
  readonly categoryId?: string;
  readonly kind?: ActivityKind;
}

/** Which record streams make up a figure, from the read models. */
export interface FigureSources {
  readonly reached: number;
  waitFor(position: number, timeoutMs: number): Promise<void>;
  recordsOf(figure: AuditedFigure, projectCode: string, filters?: FigureFilters): string[];
}
export const FIGURE_SOURCES = Symbol('FIGURE_SOURCES');

export class GetFigureEventsQuery {
  constructor(
    readonly projectCode: string,
    readonly actor: Actor,
    readonly figure: AuditedFigure,
    readonly filters: FigureFilters,
    readonly page: number,
    readonly pageSize: number,
  ) {}
}

export interface FigureEvent {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly recordedAt: string;
  readonly actor: JsonValue;
}

export interface FigureEventsView {
  readonly figure: AuditedFigure;
  readonly page: number;
  readonly pageSize: number;
  readonly totalEvents: number;
  readonly events: readonly FigureEvent[];
}

/** The events behind a figure (who did what, when, in which stream), in log order, paged. */
@QueryHandler(GetFigureEventsQuery)
export class GetFigureEventsHandler implements IQueryHandler<GetFigureEventsQuery, FigureEventsView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FIGURE_SOURCES) private readonly sources: FigureSources,
  ) {}

  async execute(q: GetFigureEventsQuery): Promise<FigureEventsView> {
    // A partner audits its own figures only, whatever it asks for.
    const partnerId = q.actor.role === 'partner-submitter' ? q.actor.partnerId : q.filters.partnerId;
    if (q.figure === 'budget' && q.actor.role === 'partner-submitter') {
      throw new DomainForbiddenError('finance-only', 'budget figures are for finance and the agency');
    }
    const streams = this.sources.recordsOf(q.figure, q.projectCode, {
      partnerId,
      categoryId: q.filters.categoryId,
      kind: q.filters.kind,
    });
    const events: FigureEvent[] = [];
    for (const streamId of streams)
      for (const e of await this.store.readStream(streamId)) events.push(toFigureEvent(e));
    if (q.figure === 'budget') {
      // Allocations live in the project stream: those of the asked cells belong to the figure.
      for (const e of await this.store.readStream(projectStreamId(q.projectCode))) {
        const d = e.data as { partnerId?: string; categoryId?: string };
        if (e.type !== 'AllocationSet') continue;
        if ((partnerId && d.partnerId !== partnerId) || (q.filters.categoryId && d.categoryId !== q.filters.categoryId))
          continue;
        events.push(toFigureEvent(e));
      }
    }
    events.sort((a, b) => a.position - b.position);
    const start = (q.page - 1) * q.pageSize;
    return {
      figure: q.figure,
      page: q.page,
      pageSize: q.pageSize,
      totalEvents: events.length,
      events: events.slice(start, start + q.pageSize),
    };
  }
}

function toFigureEvent(e: {
  position: number;
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  recordedAt: string;
  metadata: Record<string, JsonValue>;
}): FigureEvent {
  return {
    position: e.position,
    eventId: e.eventId,
    type: e.type,
    streamId: e.streamId,
    revision: e.revision,
    recordedAt: e.recordedAt,
    actor: e.metadata.actor ?? null,
  };
}
