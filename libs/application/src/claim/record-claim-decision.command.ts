import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { LineDecisionInput, TotalDecisionInput } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeClaim } from './claim-command.support';

/** Finance records what the managing authority accepted, cut or rejected, per line or for the whole claim. */
export class RecordClaimDecisionCommand {
  constructor(
    readonly projectCode: string,
    readonly claimId: string,
    readonly decidedOn: string,
    readonly lines: readonly LineDecisionInput[] | undefined,
    readonly total: TotalDecisionInput | undefined,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RecordClaimDecisionCommand)
export class RecordClaimDecisionHandler implements ICommandHandler<RecordClaimDecisionCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RecordClaimDecisionCommand): Promise<WriteResult> {
    return writeClaim(this.writer, c.context, c.projectCode, c.claimId, {
      type: 'RecordClaimDecision',
      decidedOn: c.decidedOn,
      ...(c.lines ? { lines: c.lines } : {}),
      ...(c.total ? { total: c.total } : {}),
    });
  }
}
