import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { activityStreamId, foldActivity, type ActivityEvent, type ActivityState } from '@ihl/domain';
import { LedgerQuery, type LedgerQueryParams } from '../as-of/as-of';
import { RecordQueryHandler, type RecordSource, type RecordView } from '../as-of/record-as-of';

export class GetActivityQuery extends LedgerQuery {
  readonly activityId: string;

  constructor(params: LedgerQueryParams & { readonly activityId: string }) {
    super(params);
    this.activityId = params.activityId;
  }
}

type ExistingActivity = Exclude<ActivityState, { status: 'none' }>;
export type ActivityView = RecordView<ExistingActivity>;

/** One record with its whole history (recorded, corrections with previous values, review). */
@QueryHandler(GetActivityQuery)
export class GetActivityHandler
  extends RecordQueryHandler<GetActivityQuery, ActivityEvent, ExistingActivity>
  implements IQueryHandler<GetActivityQuery, ActivityView>
{
  protected source(q: GetActivityQuery): RecordSource<ActivityEvent, ExistingActivity> {
    return { streamId: activityStreamId(q.activityId), noun: 'activity', fold: foldActivity };
  }
}
