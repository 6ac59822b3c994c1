import {
  activityStreamId,
  datingContext,
  decideActivity,
  foldActivity,
  type ActivityCommand,
  type ActivityEvent,
  type ActivityState,
} from '@ihl/domain';
import type { StreamAppend } from '@ihl/event-store';
import { withLinkedExpenditure } from './linked-expenditure.support';
import type { ResolvedActivity } from '../person/resolve-recipient';
import { datingPartner, partnerScope } from '../shared/record-scope';
import type { RequestContext } from '../shared/request-context';
import type { StreamSpec } from '../shared/stream-command';
import type { ProjectScope, StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/** An activity command on its record's stream, decided in the project's dating context. */
export function activitySpec(
  scope: ProjectScope,
  ctx: RequestContext,
  projectCode: string,
  activityId: string,
  command: ActivityCommand,
): StreamSpec<ActivityState, ActivityEvent> {
  return {
    streamId: activityStreamId(activityId),
    fold: foldActivity,
    noopAnswer: command.type === 'RecordActivity' ? 'first' : 'last',
    guard: partnerScope(ctx, projectCode, 'activity'),
    decide: (state) => {
      const partnerId = datingPartner(state, command.type === 'RecordActivity' ? command.partnerId : undefined);
      return decideActivity(state, command, ctx.actor, datingContext(scope.project, partnerId, scope.today()));
    },
  };
}

/**
 * Every activity use case but the batch. `alongside`: an append that commits with the record (its
 * recipient's profile), told the events decided at the attempt it commits with (not in a dry run).
 */
export function writeActivity(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  activityId: string,
  command: ActivityCommand,
  alongside?: (decided: readonly ActivityEvent[]) => Promise<StreamAppend | null>,
): Promise<WriteResult> {
  return writer.writeInProject(ctx, projectCode, (scope) => {
    const spec: StreamSpec<ActivityState, ActivityEvent> = {
      ...activitySpec(scope, ctx, projectCode, activityId, command),
      ...(alongside
        ? { alongside: async (_state, decided) => [await alongside(decided)].filter((a) => a !== null) }
        : {}),
    };
    // A new record has no link yet; any other change may touch the expenditure it is linked to.
    return command.type === 'RecordActivity' ? spec : withLinkedExpenditure(writer, ctx, activityId, spec);
  });
}

/** The command that records a partner's input, its recipient already pseudonymized, as `activityId`. */
export function recordActivityCommand(
  projectCode: string,
  partnerId: string,
  activityId: string,
  resolved: ResolvedActivity,
): ActivityCommand {
  return {
    type: 'RecordActivity',
    activityId,
    projectCode,
    partnerId,
    fields: resolved.fields,
    ...(resolved.recipientAgeYears !== undefined ? { recipientAgeYears: resolved.recipientAgeYears } : {}),
  };
}

/** A new record's id (see StreamWriter.recordId); derived ids are scoped to the project and partner. */
export function activityIdFor(
  writer: StreamWriter,
  ctx: RequestContext,
  r: { projectCode: string; partnerId: string; given: string | undefined; index?: number },
): Promise<string> {
  return writer.recordId(ctx, {
    given: r.given,
    scope: `activity:${r.projectCode}:${r.partnerId}`,
    streamOf: activityStreamId,
    ...(r.index !== undefined ? { index: r.index } : {}),
  });
}
