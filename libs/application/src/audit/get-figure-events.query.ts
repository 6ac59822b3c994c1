import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainForbiddenError, deliverableStreamId, periodBounds } from '@ihl/domain';
import { EVENT_STORE, type EventStore, type JsonValue, type StoredEvent } from '@ihl/event-store';
import { FigureQuery, type FigureQueryParams, type ReadModelSet } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { eventAt } from '../shared/event-at';
import type { AuditedFigure, FigureFilters, FigurePageAt } from './figure-sources.port';
import { pageOfPositions, scoAuditSourceOf } from './sco-audit-basis';

/** Store reads of one audit page in flight at once. */
const READS_AT_ONCE = 16;

export class GetFigureEventsQuery extends FigureQuery {
  readonly figure: AuditedFigure;
  readonly filters: FigureFilters;
  readonly page: number;
  readonly pageSize: number;
  /** The page after this position (the cursor), instead of a page number. */
  readonly after: number | undefined;

  constructor(
    params: FigureQueryParams & {
      readonly figure: AuditedFigure;
      readonly filters: FigureFilters;
      readonly page: number;
      readonly pageSize: number;
      readonly after?: number;
    },
  ) {
    super(params);
    this.figure = params.figure;
    this.filters = params.filters;
    this.page = params.page;
    this.pageSize = params.pageSize;
    this.after = params.after;
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
  /** The file import that wrote the event (its `import-<id>` stream says who, when, which file). */
  readonly importId?: string;
  /** A late entry (dated in a locked period): its date and the period whose report took it. */
  readonly lateEntry?: { readonly occurredOn: string; readonly reportedIn: string };
}

export interface FigureEventsView {
  readonly figure: AuditedFigure;
  /** Page-number answers only. */
  readonly page?: number;
  readonly pageSize: number;
  readonly totalEvents: number;
  readonly events: readonly FigureEvent[];
  /** The ledger position the page reflects: `?asOf=<position>` pages the same figure again. */
  readonly position: number;
  /** Cursor pages only: the position asked to page after, and the `after` of the next page (null: none). */
  readonly after?: number;
  readonly next?: number | null;
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
    const { asOf, project } = await this.figures.frame(q);
    // The read models page through the positions (allocations of the project stream included for
    // the budget), live or as of a past point; only the events of this page are read from the store.
    const at: FigurePageAt = q.after === undefined ? q.page : { after: q.after };
    const figure = q.figure;
    // An option's amount: exactly what it counts, as the project's definition stood then.
    const source = figure === 'sco' ? scoAuditSourceOf(project, q.filters.optionId) : undefined;
    const deliverable =
      source && 'lumpSum' in source && (partnerId === undefined || partnerId === source.lumpSum.partnerId)
        ? await this.figures.streamAsOf(deliverableStreamId(q.projectCode, source.lumpSum.id), asOf)
        : [];
    const pageOf = (m: ReadModelSet) => {
      if (figure !== 'sco')
        return m.eventsOf(
          figure,
          q.projectCode,
          { partnerId, categoryId: q.filters.categoryId, kind: q.filters.kind },
          at,
          q.pageSize,
        );
      if (source && 'records' in source) {
        const period = q.filters.reportedBy;
        const basis = period
          ? { ...source.records, reportedBy: { period, end: periodBounds(period).end } }
          : source.records;
        return m.scoEventsOf(q.projectCode, basis, partnerId, at, q.pageSize);
      }
      const upTo = deliverable.filter((e) => e.position <= m.reached).map((e) => e.position);
      return pageOfPositions(upTo, at, q.pageSize);
    };
    const { total, positions, next, position } = await this.figures.read(asOf, (m) => ({
      ...pageOf(m),
      position: m.reached,
    }));
    // A few at a time: on EventStoreDB each is a round trip, so a page waits for a few, not one per
    // event, and a 500-event page does not open 500 reads at once.
    const found: (StoredEvent | undefined)[] = [];
    for (let i = 0; i < positions.length; i += READS_AT_ONCE)
      found.push(...(await Promise.all(positions.slice(i, i + READS_AT_ONCE).map((p) => eventAt(this.store, p)))));
    const events: FigureEvent[] = found.filter((e) => e !== undefined).map(toFigureEvent);
    const { pageSize } = q;
    // A page by number answers as it always did; a cursor page says where the next one starts.
    return q.after === undefined
      ? { figure, page: q.page, pageSize, totalEvents: total, events, position }
      : { figure, pageSize, totalEvents: total, events, position, after: q.after, next };
  }
}

function toFigureEvent(e: {
  position: number;
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  recordedAt: string;
  data: JsonValue;
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
    ...(typeof e.metadata.importId === 'string' ? { importId: e.metadata.importId } : {}),
    ...lateEntryOf(e.data),
  };
}

/** What marks a creation event as a late entry: its `reportedIn` beside the fields' date. */
function lateEntryOf(data: JsonValue): Pick<FigureEvent, 'lateEntry'> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
  const { reportedIn, fields } = data;
  if (typeof reportedIn !== 'string' || fields === null || typeof fields !== 'object' || Array.isArray(fields))
    return {};
  const occurredOn = fields.occurredOn;
  return typeof occurredOn === 'string' ? { lateEntry: { occurredOn, reportedIn } } : {};
}
