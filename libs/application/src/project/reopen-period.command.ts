import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ProjectHandler } from './project-command.support';

/** The agency reopens a locked reporting period, with a reason. */
export class ReopenPeriodCommand {
  constructor(
    readonly code: string,
    readonly periodId: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(ReopenPeriodCommand)
export class ReopenPeriodHandler extends ProjectHandler implements ICommandHandler<ReopenPeriodCommand, WriteResult> {
  execute(c: ReopenPeriodCommand): Promise<WriteResult> {
    return this.run(c.context, c.code, { type: 'ReopenPeriod', periodId: c.periodId, reason: c.reason });
  }
}
