import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeDeliverable } from './deliverable-command.support';

/** Finance accepts a deliverable (its lump sum counts, whole) or rejects it with a reason. */
export class VerifyDeliverableCommand {
  constructor(
    readonly projectCode: string,
    readonly lumpSumId: string,
    readonly accepted: boolean,
    readonly reason: string | undefined,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(VerifyDeliverableCommand)
export class VerifyDeliverableHandler implements ICommandHandler<VerifyDeliverableCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: VerifyDeliverableCommand): Promise<WriteResult> {
    return writeDeliverable(this.writer, c.context, c.projectCode, {
      type: 'VerifyDeliverable',
      lumpSumId: c.lumpSumId,
      accepted: c.accepted,
      ...(c.reason === undefined ? {} : { reason: c.reason }),
    });
  }
}
