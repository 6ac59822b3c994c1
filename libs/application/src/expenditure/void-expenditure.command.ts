import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeExpenditure } from './expenditure-command.support';

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
export class VoidExpenditureHandler implements ICommandHandler<VoidExpenditureCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: VoidExpenditureCommand): Promise<WriteResult> {
    return writeExpenditure(this.writer, c.context, c.projectCode, c.expenditureId, {
      type: 'VoidExpenditure',
      reason: c.reason,
    });
  }
}
