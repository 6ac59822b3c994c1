import {
  claimStreamId,
  decideClaim,
  foldClaim,
  type ClaimCommand,
  type ClaimContext,
  type ClaimEvent,
  type ClaimState,
  type IsoDate,
  type RegisteredProject,
} from '@ihl/domain';
import type { StreamAppend } from '@ihl/event-store';
import type { RequestContext } from '../shared/request-context';
import type { StreamWriter } from '../shared/stream-writer';
import type { StreamSpec } from '../shared/stream-command';
import type { WriteResult } from '../shared/write-result';

/** The project's terms a claim decision reads, and today in Vilnius. */
export function claimContext(project: RegisteredProject, today: IsoDate): ClaimContext {
  const d = project.definition;
  return {
    projectStart: d.period.start,
    projectEnd: d.period.end,
    reportingPeriod: d.reportingPeriod,
    esfPlusBp: d.coFinancing.esfPlusBp,
    nationalBp: d.coFinancing.nationalBp,
    today,
  };
}

/** A claim's stream, decided against the project (read again at each attempt, its revision a condition). */
export function claimSpec(
  projectCode: string,
  claimId: string,
  decide: (state: ClaimState) => ClaimEvent[],
  alongside?: (state: ClaimState, decided: readonly ClaimEvent[]) => Promise<readonly StreamAppend[]>,
): StreamSpec<ClaimState, ClaimEvent> {
  return {
    streamId: claimStreamId(projectCode, claimId),
    fold: foldClaim,
    decide,
    ...(alongside ? { alongside } : {}),
  };
}

/** Submit, decision and reimbursement: the claim's own stream only. */
export function writeClaim(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  claimId: string,
  command: ClaimCommand,
): Promise<WriteResult> {
  return writer.writeInProject(ctx, projectCode, ({ project, today }) =>
    claimSpec(projectCode, claimId, (state) => decideClaim(state, command, ctx.actor, claimContext(project, today()))),
  );
}
