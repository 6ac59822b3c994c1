import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { expenditureStreamId, foldExpenditure, type ExpenditureEvent, type ExpenditureState } from '@ihl/domain';
import { LedgerQuery, type LedgerQueryParams } from '../as-of/as-of';
import { RecordQueryHandler, type RecordSource, type RecordView } from '../as-of/record-as-of';

export class GetExpenditureQuery extends LedgerQuery {
  readonly expenditureId: string;

  constructor(params: LedgerQueryParams & { readonly expenditureId: string }) {
    super(params);
    this.expenditureId = params.expenditureId;
  }
}

type ExistingExpenditure = Exclude<ExpenditureState, { status: 'none' }>;
export type ExpenditureView = RecordView<ExistingExpenditure>;

/** One expenditure with its whole history (declared, corrections with previous values, verification). */
@QueryHandler(GetExpenditureQuery)
export class GetExpenditureHandler
  extends RecordQueryHandler<GetExpenditureQuery, ExpenditureEvent, ExistingExpenditure>
  implements IQueryHandler<GetExpenditureQuery, ExpenditureView>
{
  protected source(q: GetExpenditureQuery): RecordSource<ExpenditureEvent, ExistingExpenditure> {
    return { streamId: expenditureStreamId(q.expenditureId), noun: 'expenditure', fold: foldExpenditure };
  }
}
