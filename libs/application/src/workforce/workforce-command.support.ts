import {
  DomainNotFoundError,
  decideWorkforce,
  foldWorkforce,
  workforceStreamId,
  type Workforce,
  type WorkforceCommand,
  type WorkforceEvent,
} from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/** Every workforce use case: the partner's own stream, decided against the project's days. */
export function writeWorkforce(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  partnerId: string,
  command: WorkforceCommand,
): Promise<WriteResult> {
  return writer.writeInProject<Workforce, WorkforceEvent>(ctx, projectCode, ({ project, today }) => {
    if (!project.partners.has(partnerId)) throw new DomainNotFoundError('no such partner');
    return {
      streamId: workforceStreamId(projectCode, partnerId),
      fold: foldWorkforce,
      noopAnswer: 'last',
      decide: (state) =>
        decideWorkforce(state, command, ctx.actor, {
          partnerId,
          projectStart: project.definition.period.start,
          projectEnd: project.definition.period.end,
          today: today(),
        }),
    };
  });
}
