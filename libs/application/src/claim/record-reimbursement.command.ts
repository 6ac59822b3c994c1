import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeClaim } from './claim-command.support';

/** Finance records a payment of the managing authority against a decided claim. */
export class RecordReimbursementCommand {
  constructor(
    readonly projectCode: string,
    readonly claimId: string,
    readonly amountCents: number,
    readonly paidOn: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RecordReimbursementCommand)
export class RecordReimbursementHandler implements ICommandHandler<RecordReimbursementCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RecordReimbursementCommand): Promise<WriteResult> {
    return writeClaim(this.writer, c.context, c.projectCode, c.claimId, {
      type: 'RecordReimbursement',
      amountCents: c.amountCents,
      paidOn: c.paidOn,
    });
  }
}
