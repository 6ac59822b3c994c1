import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeProject } from './project-command.support';

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
export class ReopenPeriodHandler implements ICommandHandler<ReopenPeriodCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: ReopenPeriodCommand): Promise<WriteResult> {
    return writeProject(this.writer, c.context, c.code, {
      type: 'ReopenPeriod',
      periodId: c.periodId,
      reason: c.reason,
    });
  }
}
