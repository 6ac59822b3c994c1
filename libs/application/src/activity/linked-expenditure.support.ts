import {
  activityStreamId,
  decideLinkedEquipmentChange,
  expenditureStreamId,
  foldActivity,
  foldExpenditure,
  type ActivityEvent,
  type ActivityState,
  type ExpenditureEvent,
} from '@ihl/domain';
import type { StreamAppend } from '@ihl/event-store';
import type { RequestContext } from '../shared/request-context';
import type { StreamSpec } from '../shared/stream-command';
import type { StreamWriter } from '../shared/stream-writer';

const revisionOf = (stored: readonly { revision: number }[]) => {
  const last = stored[stored.length - 1];
  return last ? last.revision : ('no_stream' as const);
};

/**
 * A change of an equipment record linked to an expenditure (its marker) is decided with that
 * expenditure, read at this attempt: a corrected total is refused past the expenditure's amount,
 * else the link follows it; a void releases the link. Both streams' revisions as read are
 * conditions of the one commit, so no link or correction landing meanwhile is overlooked.
 */
export async function withLinkedExpenditure(
  writer: StreamWriter,
  ctx: RequestContext,
  activityId: string,
  spec: StreamSpec<ActivityState, ActivityEvent>,
): Promise<StreamSpec<ActivityState, ActivityEvent>> {
  const activityStream = activityStreamId(activityId);
  const read = await writer.read<ActivityEvent>(activityStream, ctx.dryRun);
  const activity = foldActivity(read.events);
  const expenditureId = activity.status === 'none' ? undefined : activity.linkedExpenditureId;
  if (expenditureId === undefined) {
    // Read unlinked: a link landing before the commit makes it be decided again, linked.
    return {
      ...spec,
      conditions: [...(spec.conditions ?? []), { streamId: activityStream, expectedRevision: revisionOf(read.stored) }],
    };
  }
  const streamId = expenditureStreamId(expenditureId);
  const expRead = await writer.read<ExpenditureEvent>(streamId, ctx.dryRun);
  const expenditure = foldExpenditure(expRead.events);
  const expectedRevision = revisionOf(expRead.stored);
  return {
    ...spec,
    decide: (state) => {
      const decided = spec.decide(state);
      decideLinkedEquipmentChange(expenditure, activityId, decided); // refuses here, before anything is written
      return decided;
    },
    conditions: [
      ...(spec.conditions ?? []),
      { streamId: activityStream, expectedRevision: revisionOf(read.stored) },
      { streamId, expectedRevision },
    ],
    alongside: async (state, decided) => {
      const others: readonly StreamAppend[] = (await spec.alongside?.(state, decided)) ?? [];
      const follows = decideLinkedEquipmentChange(expenditure, activityId, decided);
      if (follows.length === 0) return others;
      return [...others, writer.toAppend(ctx, { streamId, expectedRevision, decided: follows })];
    },
  };
}
