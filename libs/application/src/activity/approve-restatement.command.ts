import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ActivityLifecycleHandler } from './activity-command.support';

/** The agency applies a correction proposed for a locked period. */
export class ApproveRestatementCommand {
  constructor(
    readonly projectCode: string,
    readonly activityId: string,
    readonly note: string | undefined,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(ApproveRestatementCommand)
export class ApproveRestatementHandler
  extends ActivityLifecycleHandler
  implements ICommandHandler<ApproveRestatementCommand, WriteResult>
{
  execute(c: ApproveRestatementCommand): Promise<WriteResult> {
    return this.run(c.context, c.projectCode, c.activityId, {
      type: 'ApproveRestatement',
      ...(c.note ? { note: c.note } : {}),
    });
  }
}
