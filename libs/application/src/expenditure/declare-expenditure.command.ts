import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { expenditureStreamId, type ExpenditureFields } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { lateEntryAnswer, type LateEntryAnswer } from '../shared/late-entry-answer';
import { StreamWriter } from '../shared/stream-writer';
import { writeExpenditure } from './expenditure-command.support';

/** A partner declares a cost against a budget category, with its supporting document. */
export class DeclareExpenditureCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly fields: ExpenditureFields,
    readonly context: RequestContext,
    readonly expenditureId?: string,
  ) {}
}

@CommandHandler(DeclareExpenditureCommand)
export class DeclareExpenditureHandler implements ICommandHandler<
  DeclareExpenditureCommand,
  WriteResult & LateEntryAnswer & { expenditureId: string }
> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  async execute(c: DeclareExpenditureCommand): Promise<WriteResult & LateEntryAnswer & { expenditureId: string }> {
    const expenditureId = await this.writer.recordId(c.context, {
      given: c.expenditureId,
      scope: `expenditure:${c.projectCode}:${c.partnerId}`,
      streamOf: expenditureStreamId,
    });
    const result = await writeExpenditure(this.writer, c.context, c.projectCode, expenditureId, {
      type: 'DeclareExpenditure',
      expenditureId,
      projectCode: c.projectCode,
      partnerId: c.partnerId,
      fields: c.fields,
    });
    return { ...result, expenditureId, ...(await lateEntryAnswer(this.writer, c.context, result.streamId)) };
  }
}
