import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ActivityLifecycleHandler } from './activity-command.support';

/** The agency declines a proposed restatement, with a reason. */
export class DeclineRestatementCommand {
  constructor(
    readonly projectCode: string,
    readonly activityId: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(DeclineRestatementCommand)
export class DeclineRestatementHandler
  extends ActivityLifecycleHandler
  implements ICommandHandler<DeclineRestatementCommand, WriteResult>
{
  execute(c: DeclineRestatementCommand): Promise<WriteResult> {
    return this.run(c.context, c.projectCode, c.activityId, { type: 'DeclineRestatement', reason: c.reason });
  }
}
