import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SurveyCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeSurvey } from './survey-command.support';

type Input = Omit<Extract<SurveyCommand, { type: 'CorrectSurveyResults' }>, 'type'>;

/** The agency auditor corrects a survey's results, saying why. */
export class CorrectSurveyResultsCommand {
  constructor(
    readonly projectCode: string,
    readonly surveyId: string,
    readonly input: Input,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(CorrectSurveyResultsCommand)
export class CorrectSurveyResultsHandler implements ICommandHandler<CorrectSurveyResultsCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: CorrectSurveyResultsCommand): Promise<WriteResult> {
    return writeSurvey(this.writer, c.context, c.projectCode, c.surveyId, { type: 'CorrectSurveyResults', ...c.input });
  }
}
