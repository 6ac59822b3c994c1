import type { ActivityActor } from '../activity/activity.state';
import type { ClaimCommand, ClaimContext } from './claim.commands';
import { decideComposeClaim, decideWithdrawClaim } from './claim-compose.decider';
import { decideRecordClaimDecision, decideRecordReimbursement, decideSubmitClaim } from './claim-decision.decider';
import type { ClaimEvent } from './claim.events';
import type { ClaimState } from './claim.state';

export * from './claim.commands';
export * from './claim.state';
export * from './claim-compose.decider';
export * from './claim-decision.decider';

/** The life of one payment claim: composed, withdrawn or submitted, decided, reimbursed. */
export function decideClaim(
  state: ClaimState,
  command: ClaimCommand,
  actor: ActivityActor,
  ctx: ClaimContext,
): ClaimEvent[] {
  switch (command.type) {
    case 'ComposeClaim':
      return decideComposeClaim(state, command, actor, ctx);
    case 'WithdrawClaim':
      return decideWithdrawClaim(state, command, actor);
    case 'SubmitClaim':
      return decideSubmitClaim(state, command, actor, ctx);
    case 'RecordClaimDecision':
      return decideRecordClaimDecision(state, command, actor, ctx);
    case 'RecordReimbursement':
      return decideRecordReimbursement(state, command, actor, ctx);
  }
}
