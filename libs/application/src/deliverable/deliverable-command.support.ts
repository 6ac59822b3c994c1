import {
  decideDeliverable,
  deliverableStreamId,
  evolveDeliverable,
  initialDeliverableState,
  type DeliverableCommand,
  type DeliverableEvent,
  type DeliverableState,
} from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/** A lump sum's deliverable is decided on its own stream: every submission and verdict in one place. */
export function writeDeliverable(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  command: DeliverableCommand,
): Promise<WriteResult> {
  return writer.writeInProject<DeliverableState, DeliverableEvent>(ctx, projectCode, ({ project, today }) => ({
    streamId: deliverableStreamId(projectCode, command.lumpSumId),
    fold: (events) => events.reduce(evolveDeliverable, initialDeliverableState),
    decide: (state) =>
      decideDeliverable(state, command, ctx.actor, {
        lumpSums: project.definition.simplifiedCosts?.lumpSums ?? [],
        projectStart: project.definition.period.start,
        today: today(),
      }),
  }));
}
