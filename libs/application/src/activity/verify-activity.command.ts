import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeActivity } from './activity-command.support';

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
export class VerifyActivityHandler implements ICommandHandler<VerifyActivityCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: VerifyActivityCommand): Promise<WriteResult> {
    return writeActivity(this.writer, c.context, c.projectCode, c.activityId, {
      type: 'VerifyActivity',
      ...(c.note ? { note: c.note } : {}),
    });
  }
}
