import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SurveyCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeSurvey } from './survey-command.support';

type Input = Omit<Extract<SurveyCommand, { type: 'VoidSurveyResults' }>, 'type'>;

/** The agency auditor voids a survey's results recorded by mistake, saying why. */
export class VoidSurveyResultsCommand {
  constructor(
    readonly projectCode: string,
    readonly surveyId: string,
    readonly input: Input,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(VoidSurveyResultsCommand)
export class VoidSurveyResultsHandler implements ICommandHandler<VoidSurveyResultsCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: VoidSurveyResultsCommand): Promise<WriteResult> {
    return writeSurvey(this.writer, c.context, c.projectCode, c.surveyId, { type: 'VoidSurveyResults', ...c.input });
  }
}
