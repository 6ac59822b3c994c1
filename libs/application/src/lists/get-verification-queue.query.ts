import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { FigureReader } from '../as-of/figure-reader.service';
import type { FigureQueryParams } from '../as-of/as-of';
import { PartnerFigureQuery, partnerFrame } from '../shared/figure-partner';
import { CLOCK, type Clock } from '../shared/ports';
import { endOfVilniusDay } from '../shared/vilnius-date';
import type { QueuedRecord, RecordCursor, RecordPage } from './record-lists-read-model.port';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Activities and expenditures awaiting review, oldest first; one partner's (a partner: its own) or
 * all; `record`: one type only (finance reviews the expenditures, the agency the activities); live
 * or as of a point.
 */
export class GetVerificationQueueQuery extends PartnerFigureQuery {
  readonly after: RecordCursor | null;
  readonly limit: number;
  readonly record: QueuedRecord['record'] | undefined;

  constructor(
    params: FigureQueryParams & {
      readonly partnerId?: string | undefined;
      readonly after: RecordCursor | null;
      readonly limit: number;
      readonly record?: QueuedRecord['record'] | undefined;
    },
  ) {
    super(params);
    this.after = params.after;
    this.limit = params.limit;
    this.record = params.record;
  }
}

export type VerificationQueueView = RecordPage<QueuedRecord & { readonly ageDays: number }> & {
  readonly projectCode: string;
  readonly partnerId: string | null;
  readonly position: number;
};

@QueryHandler(GetVerificationQueueQuery)
export class GetVerificationQueueHandler implements IQueryHandler<GetVerificationQueueQuery, VerificationQueueView> {
  constructor(
    @Inject(FigureReader) private readonly figures: FigureReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(q: GetVerificationQueueQuery): Promise<VerificationQueueView> {
    const { project, partnerId, asOf, today } = await partnerFrame(this.figures, q);
    const partners = partnerId !== undefined ? [partnerId] : [...project.partners.keys()];
    // As of a day, the ages are those at its end.
    const now = asOf ? endOfVilniusDay(today).getTime() : this.clock.now().getTime();
    return this.figures.read(asOf, (models) => {
      const page = models.verificationQueue(q.projectCode, partners, q.after, q.limit, q.record);
      return {
        projectCode: q.projectCode,
        partnerId: partnerId ?? null,
        // How long each has waited since it was recorded, in whole days.
        records: page.records.map((r) => ({
          ...r,
          ageDays: Math.max(0, Math.floor((now - Date.parse(r.recordedAt)) / DAY_MS)),
        })),
        next: page.next,
        position: models.reached,
      };
    });
  }
}
