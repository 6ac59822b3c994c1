import type { DatingContext } from './activity-validation';
import type { ActivityEvent } from './activity.events';
import { decideCorrectActivity, decideRecordActivity, decideVoidActivity } from './activity-recording.decider';
import {
  decideApproveRestatement,
  decideDeclineRestatement,
  decideRejectActivity,
  decideVerifyActivity,
} from './activity-review.decider';
import type { ActivityActor, ActivityCommand, ActivityState } from './activity.state';

// State, commands and evolve live in activity.state.ts; they are exported from here too so that
// `activity.decider` stays the one module to import an activity's decider from.
export * from './activity.state';
export * from './activity-recording.decider';
export * from './activity-review.decider';

/**
 * The life of one activity record. `ctx` is the project's dating context (period, partner's join
 * date, locked periods, today) read by the handler from the project stream. One function per
 * command: the partner's in activity-recording.decider.ts, the agency's in activity-review.decider.ts.
 */
export function decideActivity(
  state: ActivityState,
  command: ActivityCommand,
  actor: ActivityActor,
  ctx: DatingContext,
): ActivityEvent[] {
  switch (command.type) {
    case 'RecordActivity':
      return decideRecordActivity(state, command, actor, ctx);
    case 'CorrectActivity':
      return decideCorrectActivity(state, command, actor, ctx);
    case 'VoidActivity':
      return decideVoidActivity(state, command, actor, ctx);
    case 'VerifyActivity':
      return decideVerifyActivity(state, command, actor);
    case 'RejectActivity':
      return decideRejectActivity(state, command, actor);
    case 'ApproveRestatement':
      return decideApproveRestatement(state, command, actor);
    case 'DeclineRestatement':
      return decideDeclineRestatement(state, command, actor);
  }
}
