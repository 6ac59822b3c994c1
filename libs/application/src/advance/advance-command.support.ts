import {
  advancesStreamId,
  decideAdvance,
  foldAdvances,
  type AdvanceCommand,
  type AdvanceEvent,
  type AdvancesState,
} from '@ihl/domain';
import { claimContext } from '../claim/claim-command.support';
import type { RequestContext } from '../shared/request-context';
import type { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/** Advances and clearings are decided on the project's one advances stream, so each sees every other. */
export function writeAdvance(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  command: AdvanceCommand,
): Promise<WriteResult> {
  return writer.writeInProject<AdvancesState, AdvanceEvent>(ctx, projectCode, ({ project, today }) => ({
    streamId: advancesStreamId(projectCode),
    fold: foldAdvances,
    decide: (state) =>
      decideAdvance(state, command, ctx.actor, {
        ...claimContext(project, today()),
        partnerIds: [...project.partners.keys()],
      }),
  }));
}
