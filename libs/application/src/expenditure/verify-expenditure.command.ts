import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeExpenditure } from './expenditure-command.support';

/** Finance splits a declared amount into eligible and ineligible parts. */
export class VerifyExpenditureCommand {
  constructor(
    readonly projectCode: string,
    readonly expenditureId: string,
    readonly eligibleCents: number,
    readonly ineligibleCents: number,
    readonly note: string | undefined,
    readonly context: RequestContext,
    /** A code of INELIGIBILITY_REASONS for the ineligible amount (checked by the domain). */
    readonly ineligibleReason?: string,
  ) {}
}

@CommandHandler(VerifyExpenditureCommand)
export class VerifyExpenditureHandler implements ICommandHandler<VerifyExpenditureCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: VerifyExpenditureCommand): Promise<WriteResult> {
    return writeExpenditure(this.writer, c.context, c.projectCode, c.expenditureId, {
      type: 'VerifyExpenditure',
      eligibleCents: c.eligibleCents,
      ineligibleCents: c.ineligibleCents,
      ...(c.note ? { note: c.note } : {}),
      ...(c.ineligibleReason !== undefined ? { ineligibleReason: c.ineligibleReason } : {}),
    });
  }
}
