import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeActivity } from './activity-command.support';

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
export class ApproveRestatementHandler implements ICommandHandler<ApproveRestatementCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: ApproveRestatementCommand): Promise<WriteResult> {
    return writeActivity(this.writer, c.context, c.projectCode, c.activityId, {
      type: 'ApproveRestatement',
      ...(c.note ? { note: c.note } : {}),
    });
  }
}
