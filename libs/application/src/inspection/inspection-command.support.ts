import {
  DomainNotFoundError,
  decideInspection,
  foldInspection,
  inspectionStreamId,
  type InspectionCommand,
  type InspectionEvent,
  type InspectionState,
} from '@ihl/domain';
import type { Actor, RequestContext } from '../shared/request-context';
import type { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/**
 * Another project's inspection, or for a partner another partner's, is "not found" before anything
 * else is looked at, so the answer never tells that it exists.
 */
export function inspectionScope(actor: Actor, projectCode: string): (state: InspectionState) => void {
  return (state) => {
    if (!state) return;
    const foreign =
      state.projectCode !== projectCode || (actor.role === 'partner-submitter' && actor.partnerId !== state.partnerId);
    if (foreign) throw new DomainNotFoundError('no such inspection');
  };
}

/** Every inspection use case: its own stream, decided against the project's dates and partners. */
export function writeInspection(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  inspectionId: string,
  command: InspectionCommand,
): Promise<WriteResult> {
  return writer.writeInProject<InspectionState, InspectionEvent>(ctx, projectCode, ({ project, today }) => ({
    streamId: inspectionStreamId(inspectionId),
    fold: foldInspection,
    noopAnswer: command.type === 'RecordInspection' ? 'first' : 'last',
    guard: inspectionScope(ctx.actor, projectCode),
    decide: (state) =>
      decideInspection(state, command, ctx.actor, {
        projectStart: project.definition.period.start,
        projectEnd: project.definition.period.end,
        today: today(),
        partnerIds: [...project.partners.keys()],
      }),
  }));
}
