import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideClaim, expenditureReleases, expenditureStreamId } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { claimContext, claimSpec } from './claim-command.support';

/** Finance withdraws a claim before submitting it: its costs are free to be claimed again. */
export class WithdrawClaimCommand {
  constructor(
    readonly projectCode: string,
    readonly claimId: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(WithdrawClaimCommand)
export class WithdrawClaimHandler implements ICommandHandler<WithdrawClaimCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: WithdrawClaimCommand): Promise<WriteResult> {
    const ctx = c.context;
    return this.writer.writeInProject(ctx, c.projectCode, ({ project, today }) =>
      claimSpec(
        c.projectCode,
        c.claimId,
        (state) =>
          decideClaim(state, { type: 'WithdrawClaim', reason: c.reason }, ctx.actor, claimContext(project, today())),
        // The releases commit with the withdrawal; a claimed cost takes no other change, so its stream is as the claim left it.
        (state) =>
          Promise.resolve(
            state.status === 'none'
              ? []
              : expenditureReleases(state).map((e) =>
                  this.writer.toAppend(ctx, {
                    streamId: expenditureStreamId(e.data.expenditureId),
                    expectedRevision: 'stream_exists',
                    decided: [e],
                  }),
                ),
          ),
      ),
    );
  }
}
