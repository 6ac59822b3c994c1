import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ActivityLifecycleHandler } from './activity-command.support';

/** The agency confirms a record. */
export class VerifyActivityCommand {
  constructor(
    readonly projectCode: string,
    readonly activityId: string,
    readonly note: string | undefined,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(VerifyActivityCommand)
export class VerifyActivityHandler
  extends ActivityLifecycleHandler
  implements ICommandHandler<VerifyActivityCommand, WriteResult>
{
  execute(c: VerifyActivityCommand): Promise<WriteResult> {
    return this.run(c.context, c.projectCode, c.activityId, {
      type: 'VerifyActivity',
      ...(c.note ? { note: c.note } : {}),
    });
  }
}
