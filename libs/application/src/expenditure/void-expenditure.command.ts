import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ExpenditureHandler } from './expenditure-command.support';

/** The declaring partner withdraws an expenditure, with a reason. */
export class VoidExpenditureCommand {
  constructor(
    readonly projectCode: string,
    readonly expenditureId: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(VoidExpenditureCommand)
export class VoidExpenditureHandler
  extends ExpenditureHandler
  implements ICommandHandler<VoidExpenditureCommand, WriteResult>
{
  execute(c: VoidExpenditureCommand): Promise<WriteResult> {
    return this.run(c.context, c.projectCode, c.expenditureId, { type: 'VoidExpenditure', reason: c.reason });
  }
}
