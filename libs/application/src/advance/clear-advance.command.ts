import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { claimStreamId, claimTotals, foldClaim, type ClaimEvent } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeAdvance } from './advance-command.support';

/** Finance settles part of an advance against a claim's reimbursement. */
export class ClearAdvanceCommand {
  constructor(
    readonly projectCode: string,
    readonly advanceId: string,
    readonly claimId: string,
    readonly amountCents: number,
    readonly clearedOn: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(ClearAdvanceCommand)
export class ClearAdvanceHandler implements ICommandHandler<ClearAdvanceCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  async execute(c: ClearAdvanceCommand): Promise<WriteResult> {
    // A claim's reimbursement only grows, so what is read here can only be less than what holds at commit.
    const { events } = await this.writer.read<ClaimEvent>(claimStreamId(c.projectCode, c.claimId));
    const claim = foldClaim(events);
    return writeAdvance(this.writer, c.context, c.projectCode, {
      type: 'ClearAdvance',
      advanceId: c.advanceId,
      claimId: c.claimId,
      amountCents: c.amountCents,
      clearedOn: c.clearedOn,
      claimReimbursedCents: claim.status === 'none' ? null : claimTotals(claim).reimbursed,
    });
  }
}
