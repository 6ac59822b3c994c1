import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeProject } from './project-command.support';

/** The agency locks a reporting period: later changes become restatements. */
export class LockPeriodCommand {
  constructor(
    readonly code: string,
    readonly periodId: string,
    readonly note: string | undefined,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(LockPeriodCommand)
export class LockPeriodHandler implements ICommandHandler<LockPeriodCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: LockPeriodCommand): Promise<WriteResult> {
    return writeProject(this.writer, c.context, c.code, {
      type: 'LockPeriod',
      periodId: c.periodId,
      ...(c.note ? { note: c.note } : {}),
    });
  }
}
