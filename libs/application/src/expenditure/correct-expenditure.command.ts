import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ExpenditureFields } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeExpenditure } from './expenditure-command.support';

/** The declaring partner corrects an expenditure (before its period is locked). */
export class CorrectExpenditureCommand {
  constructor(
    readonly projectCode: string,
    readonly expenditureId: string,
    readonly fields: ExpenditureFields,
    readonly reason: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(CorrectExpenditureCommand)
export class CorrectExpenditureHandler implements ICommandHandler<CorrectExpenditureCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: CorrectExpenditureCommand): Promise<WriteResult> {
    return writeExpenditure(this.writer, c.context, c.projectCode, c.expenditureId, {
      type: 'CorrectExpenditure',
      fields: c.fields,
      reason: c.reason,
    });
  }
}
