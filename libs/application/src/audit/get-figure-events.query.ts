import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainForbiddenError } from '@ihl/domain';
import { EVENT_STORE, type EventStore, type JsonValue, type StoredEvent } from '@ihl/event-store';
import { FigureQuery, type FigureQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { eventAt } from '../shared/event-at';
import type { AuditedFigure, FigureFilters } from './figure-sources.port';

/** Store reads of one audit page in flight at once. */
const READS_AT_ONCE = 16;

export class GetFigureEventsQuery extends FigureQuery {
  readonly figure: AuditedFigure;
  readonly filters: FigureFilters;
  readonly page: number;
  readonly pageSize: number;

  constructor(
    params: FigureQueryParams & {
      readonly figure: AuditedFigure;
      readonly filters: FigureFilters;
      readonly page: number;
      readonly pageSize: number;
    },
  ) {
    super(params);
    this.figure = params.figure;
    this.filters = params.filters;
    this.page = params.page;
    this.pageSize = params.pageSize;
  }
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
  /** The ledger position the page reflects: `?asOf=<position>` pages the same figure again. */
  readonly position: number;
}

/** The events behind a figure (who did what, when, in which stream), in log order, paged. */
@QueryHandler(GetFigureEventsQuery)
export class GetFigureEventsHandler implements IQueryHandler<GetFigureEventsQuery, FigureEventsView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FigureReader) private readonly figures: FigureReader,
  ) {}

  async execute(q: GetFigureEventsQuery): Promise<FigureEventsView> {
    // A partner audits its own figures only, whatever it asks for.
    const partnerId = q.actor.role === 'partner-submitter' ? q.actor.partnerId : q.filters.partnerId;
    if (q.figure === 'budget' && q.actor.role === 'partner-submitter') {
      throw new DomainForbiddenError('finance-only', 'budget figures are for finance and the agency');
    }
    // An unknown project, or one not yet registered at the as-of point, is not found.
    const { asOf } = await this.figures.frame(q);
    // The read models page through the positions (allocations of the project stream included for
    // the budget), live or as of a past point; only the events of this page are read from the store.
    const { total, positions, position } = await this.figures.read(asOf, (m) => ({
      ...m.eventsOf(
        q.figure,
        q.projectCode,
        { partnerId, categoryId: q.filters.categoryId, kind: q.filters.kind },
        q.page,
        q.pageSize,
      ),
      position: m.reached,
    }));
    // A few at a time: on EventStoreDB each is a round trip, so a page waits for a few, not one per
    // event, and a 500-event page does not open 500 reads at once.
    const found: (StoredEvent | undefined)[] = [];
    for (let i = 0; i < positions.length; i += READS_AT_ONCE)
      found.push(...(await Promise.all(positions.slice(i, i + READS_AT_ONCE).map((p) => eventAt(this.store, p)))));
    const events: FigureEvent[] = found.filter((e) => e !== undefined).map(toFigureEvent);
    return { figure: q.figure, page: q.page, pageSize: q.pageSize, totalEvents: total, events, position };
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
