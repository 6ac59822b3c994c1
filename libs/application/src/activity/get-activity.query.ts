import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { activityStreamId, foldActivity, type ActivityState } from '@ihl/domain';
import { FigureReader } from '../as-of/figure-reader.service';
import { RecordQuery, readRecordAsOf, type RecordQueryParams, type RecordView } from '../as-of/record-as-of';

export class GetActivityQuery extends RecordQuery {
  readonly activityId: string;

  constructor(params: RecordQueryParams & { readonly activityId: string }) {
    super(params);
    this.activityId = params.activityId;
  }
}

export type ActivityView = RecordView<Exclude<ActivityState, { status: 'none' }>>;

/** One record with its whole history (recorded, corrections with previous values, review). */
@QueryHandler(GetActivityQuery)
export class GetActivityHandler implements IQueryHandler<GetActivityQuery, ActivityView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  execute(q: GetActivityQuery): Promise<ActivityView> {
    return readRecordAsOf(this.figures, q, {
      streamId: activityStreamId(q.activityId),
      noun: 'activity',
      fold: foldActivity,
    });
  }
}
