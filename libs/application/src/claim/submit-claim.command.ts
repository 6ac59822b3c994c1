import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeClaim } from './claim-command.support';

/** Finance submits a composed claim to the managing authority; its lines are fixed from then on. */
export class SubmitClaimCommand {
  constructor(
    readonly projectCode: string,
    readonly claimId: string,
    readonly submittedOn: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(SubmitClaimCommand)
export class SubmitClaimHandler implements ICommandHandler<SubmitClaimCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: SubmitClaimCommand): Promise<WriteResult> {
    return writeClaim(this.writer, c.context, c.projectCode, c.claimId, {
      type: 'SubmitClaim',
      submittedOn: c.submittedOn,
    });
  }
}
