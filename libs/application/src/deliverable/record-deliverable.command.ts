import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeDeliverable } from './deliverable-command.support';

/** A partner records the deliverable of one of its lump sums as achieved, with evidence or a note. */
export class RecordDeliverableCommand {
  constructor(
    readonly projectCode: string,
    readonly lumpSumId: string,
    readonly achievedOn: string,
    readonly evidenceIds: readonly string[],
    readonly note: string | null,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RecordDeliverableCommand)
export class RecordDeliverableHandler implements ICommandHandler<RecordDeliverableCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RecordDeliverableCommand): Promise<WriteResult> {
    return writeDeliverable(this.writer, c.context, c.projectCode, {
      type: 'RecordDeliverable',
      lumpSumId: c.lumpSumId,
      achievedOn: c.achievedOn,
      evidenceIds: c.evidenceIds,
      note: c.note,
    });
  }
}
