import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ActivityLifecycleHandler } from './activity-command.support';

/** Voids a record with a reason (partner, before its period is locked). */
export class VoidActivityCommand {
  constructor(
    readonly projectCode: string,
    readonly activityId: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(VoidActivityCommand)
export class VoidActivityHandler
  extends ActivityLifecycleHandler
  implements ICommandHandler<VoidActivityCommand, WriteResult>
{
  execute(c: VoidActivityCommand): Promise<WriteResult> {
    return this.run(c.context, c.projectCode, c.activityId, { type: 'VoidActivity', reason: c.reason });
  }
}
