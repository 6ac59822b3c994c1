import {
  DomainNotFoundError,
  decideSurvey,
  foldSurvey,
  surveyStreamId,
  type SurveyCommand,
  type SurveyEvent,
  type SurveyState,
} from '@ihl/domain';
import type { Actor, RequestContext } from '../shared/request-context';
import type { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/** Another project's survey, or for a partner another partner's, is "not found" before anything else. */
export function surveyScope(actor: Actor, projectCode: string): (state: SurveyState) => void {
  return (state) => {
    if (!state) return;
    const foreign =
      state.projectCode !== projectCode || (actor.role === 'partner-submitter' && actor.partnerId !== state.partnerId);
    if (foreign) throw new DomainNotFoundError('no such survey');
  };
}

/** Every survey use case: its own stream, decided against the project's dates and partners. */
export function writeSurvey(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  surveyId: string,
  command: SurveyCommand,
): Promise<WriteResult> {
  return writer.writeInProject<SurveyState, SurveyEvent>(ctx, projectCode, ({ project, today }) => ({
    streamId: surveyStreamId(surveyId),
    fold: foldSurvey,
    noopAnswer: command.type === 'RecordSurveyResults' ? 'first' : 'last',
    guard: surveyScope(ctx.actor, projectCode),
    decide: (state) =>
      decideSurvey(state, command, ctx.actor, {
        projectStart: project.definition.period.start,
        projectEnd: project.definition.period.end,
        today: today(),
        partners: new Map([...project.partners.values()].map((p) => [p.id, p.joinedOn])),
      }),
  }));
}
