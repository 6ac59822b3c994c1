import type { ListedRecord, QueuedRecord, RecordCursor, RecordListFilter, RecordPage, RecordSort } from '@ihl/domain';

export {
  RECORD_SORTS,
  RECORD_STATES,
  type ListedRecord,
  type QueuedRecord,
  type RecordCursor,
  type RecordListFilter,
  type RecordPage,
  type RecordSort,
  type RecordState,
} from '@ihl/domain';

/**
 * The lists of records the read models answer, live or as of a point. `partners`: the project's,
 * walked one by one when a list is not narrowed to one. `backwards`: the page before the cursor.
 */
export interface RecordListsReadModel {
  listRecords(
    filter: RecordListFilter,
    sort: RecordSort,
    after: RecordCursor | null,
    limit: number,
    partners: readonly string[],
    backwards?: boolean,
  ): RecordPage<ListedRecord>;
  verificationQueue(
    projectCode: string,
    partners: readonly string[],
    after: RecordCursor | null,
    limit: number,
    record?: QueuedRecord['record'],
  ): RecordPage<QueuedRecord>;
  expenditureRegister(
    projectCode: string,
    between: {
      readonly from?: string | undefined;
      readonly to?: string | undefined;
      readonly reportedPeriod?: string | undefined;
    },
    partnerId: string | undefined,
  ): ListedRecord[];
}
