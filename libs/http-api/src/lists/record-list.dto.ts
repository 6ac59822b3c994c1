import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { RECORD_SORTS, RECORD_STATES, type RecordSort, type RecordState } from '@ihl/application';
import { ACTIVITY_KINDS, type ActivityKind } from '@ihl/domain';
import { NoPersonalCode } from '../http/dto-rules';
import {
  IsDateParameter,
  IsDialectParameter,
  IsAsOfParameter,
  IsFormatParameter,
  IsPositionParameter,
  IsSlugParameter,
  QueryRule,
} from '../http/position-query';
import { decodeCursor } from './list-cursor';
import { IsWithEvidenceParameter } from '../evidence/with-evidence';

const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const PERIOD = /^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/;

const Optional = (rule: PropertyDecorator, description: string, extra: object = {}): PropertyDecorator[] => [
  ApiPropertyOptional({ type: String, description, ...extra }),
  IsOptional(),
  rule,
];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const d of decorators) d(target, key);
  };

export const IsPeriodParameter = () =>
  apply(
    ...Optional(
      QueryRule('period', (v) => PERIOD.test(v), 'must be a quarter YYYY-Qn or a month YYYY-MM'),
      'records dated in a reporting period (its part within the project period); not with from/to',
    ),
  );
export const IsRefParameter = (description: string) =>
  apply(
    ...Optional(
      QueryRule('ref', (v) => REF.test(v), 'must be 1-64 letters, digits, dots, dashes or underscores'),
      description,
    ),
    NoPersonalCode(),
  );

/** `?limit=`: records per page. */
export const IsLimitParameter = () =>
  apply(
    ...Optional(
      QueryRule(
        'integer-range',
        (v) => /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 500,
        'must be a whole number from 1 to 500',
      ),
      'records per page, 1 to 500, 50 unless given (json only)',
    ),
  );

/** The parameters every record list takes (the activity and expenditure lists add their own). */
export class RecordListQueryDto {
  @IsPositionParameter() position?: string;
  @IsSlugParameter("one partner's records (a partner's token: its own id only)") partnerId?: string;
  @apply(
    ...Optional(
      QueryRule('enum', (v) => RECORD_STATES.includes(v as RecordState), `must be one of ${RECORD_STATES.join(', ')}`),
      `the review state: one of ${RECORD_STATES.join(', ')}`,
      { enum: RECORD_STATES },
    ),
  )
  state?: RecordState;
  @IsDateParameter('records dated on or after this day (occurrence or document date)') from?: string;
  @IsDateParameter('records dated on or before this day') to?: string;
  @IsPeriodParameter() period?: string;
  @apply(
    ...Optional(
      QueryRule('enum', (v) => RECORD_SORTS.includes(v as RecordSort), `must be one of ${RECORD_SORTS.join(', ')}`),
      'recorded (creation order, the default) or date; a leading - for newest first',
      { enum: RECORD_SORTS },
    ),
  )
  sort?: RecordSort;
  @IsLimitParameter() limit?: string;
  @apply(
    ...Optional(
      QueryRule('cursor', (v) => decodeCursor(v) !== null, 'must be the cursor a page answered as nextCursor'),
      'the page after this cursor (json only): the `next` link of the page before carries it',
    ),
  )
  after?: string;
  @apply(
    ...Optional(
      QueryRule('cursor', (v) => decodeCursor(v) !== null, 'must be the cursor a page answered as prevCursor'),
      'the page before this cursor (json only; not with after): the `prev` link of the page after carries it',
    ),
  )
  before?: string;
  @IsFormatParameter(['json', 'csv', 'xlsx'], 'csv and xlsx: every matching record, not one page') format?: string;
  @IsDialectParameter() dialect?: string;
  @IsAsOfParameter('the records') asOf?: string;
}

export class ActivityListQueryDto extends RecordListQueryDto {
  @apply(
    ...Optional(
      QueryRule(
        'enum',
        (v) => ACTIVITY_KINDS.includes(v as ActivityKind),
        `must be one of ${ACTIVITY_KINDS.join(', ')}`,
      ),
      `one kind: ${ACTIVITY_KINDS.join(', ')}`,
      { enum: ACTIVITY_KINDS },
    ),
  )
  kind?: ActivityKind;
  @IsRefParameter("the worker's reference (workerRef) of the records") worker?: string;
}

export class ExpenditureListQueryDto extends RecordListQueryDto {
  @IsSlugParameter('one budget category') categoryId?: string;
  @IsRefParameter('the supporting document reference (documentRef)') document?: string;
}

export const QUEUE_RECORDS = ['activity', 'expenditure'] as const;

/** The verification queue: a partner's or all, paged; one type of record or both. */
export class QueueQueryDto {
  @IsPositionParameter() position?: string;
  @IsSlugParameter("one partner's queue (a partner's token: its own id only)") partnerId?: string;
  @IsLimitParameter() limit?: string;
  @apply(
    ...Optional(
      QueryRule(
        'enum',
        (v) => QUEUE_RECORDS.includes(v as (typeof QUEUE_RECORDS)[number]),
        `must be one of ${QUEUE_RECORDS.join(', ')}`,
      ),
      'only activity records or only expenditures (both unless given)',
      { enum: QUEUE_RECORDS },
    ),
  )
  record?: (typeof QUEUE_RECORDS)[number];
  @apply(
    ...Optional(
      QueryRule(
        'cursor',
        (v) => decodeCursor(v)?.sort === 'recorded',
        'must be the cursor a page answered as nextCursor',
      ),
      'the page after this cursor (the `next` link carries it)',
    ),
  )
  after?: string;
  @IsAsOfParameter('the records awaiting review') asOf?: string;
}

/** The expenditure register of a period (or a date range; neither: all). */
export class RegisterQueryDto {
  @IsPositionParameter() position?: string;
  @IsSlugParameter("one partner's expenditures (a partner's token: its own id only)") partnerId?: string;
  @IsPeriodParameter() period?: string;
  @IsDateParameter('expenditures dated on or after this day (document date)') from?: string;
  @IsDateParameter('expenditures dated on or before this day') to?: string;
  @IsFormatParameter(['json', 'csv', 'xlsx']) format?: string;
  @IsDialectParameter() dialect?: string;
  @IsWithEvidenceParameter() withEvidence?: string;
  @IsAsOfParameter('the expenditures') asOf?: string;
}
