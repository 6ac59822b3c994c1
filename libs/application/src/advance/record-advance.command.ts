import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeAdvance } from './advance-command.support';

/** Finance records an advance the managing authority paid to the project or to one partner. */
export class RecordAdvanceCommand {
  constructor(
    readonly projectCode: string,
    readonly advanceId: string,
    readonly partnerId: string | null,
    readonly amountCents: number,
    readonly paidOn: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RecordAdvanceCommand)
export class RecordAdvanceHandler implements ICommandHandler<RecordAdvanceCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RecordAdvanceCommand): Promise<WriteResult> {
    return writeAdvance(this.writer, c.context, c.projectCode, {
      type: 'RecordAdvance',
      advanceId: c.advanceId,
      partnerId: c.partnerId,
      amountCents: c.amountCents,
      paidOn: c.paidOn,
    });
  }
}
