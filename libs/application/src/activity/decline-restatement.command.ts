import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeActivity } from './activity-command.support';

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
export class DeclineRestatementHandler implements ICommandHandler<DeclineRestatementCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: DeclineRestatementCommand): Promise<WriteResult> {
    return writeActivity(this.writer, c.context, c.projectCode, c.activityId, {
      type: 'DeclineRestatement',
      reason: c.reason,
    });
  }
}
