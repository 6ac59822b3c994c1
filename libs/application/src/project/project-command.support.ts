import { decideProject, foldProject, projectStreamId, type ProjectCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/** Every project use case: decided on the `project-<code>` stream alone. */
export function writeProject(
  writer: StreamWriter,
  ctx: RequestContext,
  code: string,
  command: ProjectCommand,
): Promise<WriteResult> {
  return writer.write(ctx, {
    streamId: projectStreamId(code),
    fold: foldProject,
    decide: (state) => decideProject(state, command),
    // A reopening changes what a write decides as much as a lock (late entry or not): both pass the gate.
    ...(command.type === 'LockPeriod' || command.type === 'ReopenPeriod'
      ? { lockGate: { projectCode: code, periodId: command.periodId } }
      : {}),
  });
}
