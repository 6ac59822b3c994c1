import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { expenditureStreamId, foldExpenditure, type ExpenditureState } from '@ihl/domain';
import { FigureReader } from '../as-of/figure-reader.service';
import { RecordQuery, readRecordAsOf, type RecordQueryParams, type RecordView } from '../as-of/record-as-of';

export class GetExpenditureQuery extends RecordQuery {
  readonly expenditureId: string;

  constructor(params: RecordQueryParams & { readonly expenditureId: string }) {
    super(params);
    this.expenditureId = params.expenditureId;
  }
}

export type ExpenditureView = RecordView<Exclude<ExpenditureState, { status: 'none' }>>;

/** One expenditure with its whole history (declared, corrections with previous values, verification). */
@QueryHandler(GetExpenditureQuery)
export class GetExpenditureHandler implements IQueryHandler<GetExpenditureQuery, ExpenditureView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  execute(q: GetExpenditureQuery): Promise<ExpenditureView> {
    return readRecordAsOf(this.figures, q, {
      streamId: expenditureStreamId(q.expenditureId),
      noun: 'expenditure',
      fold: foldExpenditure,
    });
  }
}
