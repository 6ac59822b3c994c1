import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ActivityLifecycleHandler } from './activity-command.support';

/** The agency rejects a record, with a reason. */
export class RejectActivityCommand {
  constructor(
    readonly projectCode: string,
    readonly activityId: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RejectActivityCommand)
export class RejectActivityHandler
  extends ActivityLifecycleHandler
  implements ICommandHandler<RejectActivityCommand, WriteResult>
{
  execute(c: RejectActivityCommand): Promise<WriteResult> {
    return this.run(c.context, c.projectCode, c.activityId, { type: 'RejectActivity', reason: c.reason });
  }
}
