import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SurveyCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeSurvey } from './survey-command.support';

type Input = Omit<Extract<SurveyCommand, { type: 'RecordSurveyResults' }>, 'type'>;

/** The agency auditor records a partner's satisfaction survey results: counts per answer option only. */
export class RecordSurveyResultsCommand {
  constructor(
    readonly projectCode: string,
    readonly surveyId: string,
    readonly input: Input,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RecordSurveyResultsCommand)
export class RecordSurveyResultsHandler implements ICommandHandler<RecordSurveyResultsCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RecordSurveyResultsCommand): Promise<WriteResult> {
    return writeSurvey(this.writer, c.context, c.projectCode, c.surveyId, { type: 'RecordSurveyResults', ...c.input });
  }
}
