import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeActivity } from './activity-command.support';

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
export class RejectActivityHandler implements ICommandHandler<RejectActivityCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RejectActivityCommand): Promise<WriteResult> {
    return writeActivity(this.writer, c.context, c.projectCode, c.activityId, {
      type: 'RejectActivity',
      reason: c.reason,
    });
  }
}
