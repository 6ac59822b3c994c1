import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ExpenditureFields } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ExpenditureHandler } from './expenditure-command.support';

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
export class CorrectExpenditureHandler
  extends ExpenditureHandler
  implements ICommandHandler<CorrectExpenditureCommand, WriteResult>
{
  execute(c: CorrectExpenditureCommand): Promise<WriteResult> {
    return this.run(c.context, c.projectCode, c.expenditureId, {
      type: 'CorrectExpenditure',
      fields: c.fields,
      reason: c.reason,
    });
  }
}
