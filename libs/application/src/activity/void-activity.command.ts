import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeActivity } from './activity-command.support';

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
export class VoidActivityHandler implements ICommandHandler<VoidActivityCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: VoidActivityCommand): Promise<WriteResult> {
    return writeActivity(this.writer, c.context, c.projectCode, c.activityId, {
      type: 'VoidActivity',
      reason: c.reason,
    });
  }
}
