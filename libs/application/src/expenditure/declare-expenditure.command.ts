import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { expenditureStreamId, type ExpenditureFields } from '@ihl/domain';
import { keyedRecordId } from '../shared/deterministic-id';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ExpenditureHandler } from './expenditure-command.support';

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
export class DeclareExpenditureHandler
  extends ExpenditureHandler
  implements ICommandHandler<DeclareExpenditureCommand, WriteResult & { expenditureId: string }>
{
  async execute(c: DeclareExpenditureCommand): Promise<WriteResult & { expenditureId: string }> {
    const key = c.context.idempotencyKey;
    const expenditureId =
      c.expenditureId ??
      (key
        ? await keyedRecordId(this.store, {
            scope: `expenditure:${c.projectCode}:${c.partnerId}`,
            derivedFrom: key,
            idempotencyKey: key,
            streamOf: expenditureStreamId,
          })
        : this.ids.newId());
    const result = await this.run(c.context, c.projectCode, expenditureId, {
      type: 'DeclareExpenditure',
      expenditureId,
      projectCode: c.projectCode,
      partnerId: c.partnerId,
      fields: c.fields,
    });
    return { ...result, expenditureId };
  }
}
