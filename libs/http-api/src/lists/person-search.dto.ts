import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { RECORD_SORTS, RECORD_STATES, type RecordSort, type RecordState } from '@ihl/application';
import { ACTIVITY_KINDS, type ActivityKind } from '@ihl/domain';
import { IsOptionalPartnerId } from '../http/dto-rules';
import { PERIOD } from './record-list.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One person's activity records, found by the personal code: sent in a body, not a query string,
 * which access logs and browser histories keep. The code is pseudonymised on arrival and never
 * answered; a code never seen answers an empty list.
 */
export class PersonSearchDto {
  @ApiProperty({ description: 'the 11-digit personal code (asmens kodas); pseudonymised, never kept or answered' })
  @IsString()
  personalCode!: string;
  @IsOptionalPartnerId() partnerId?: string;
  @ApiPropertyOptional({ enum: ACTIVITY_KINDS })
  @IsOptional()
  @IsIn(ACTIVITY_KINDS)
  kind?: ActivityKind;
  @ApiPropertyOptional({ enum: RECORD_STATES })
  @IsOptional()
  @IsIn(RECORD_STATES)
  state?: RecordState;
  @ApiPropertyOptional({ example: '2024-01-01' })
  @IsOptional()
  @Matches(DATE, { message: '$property must be a date YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ example: '2024-12-31' })
  @IsOptional()
  @Matches(DATE, { message: '$property must be a date YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional({ example: '2024-Q2' })
  @IsOptional()
  @Matches(PERIOD, { message: '$property must be a quarter YYYY-Qn or a month YYYY-MM' })
  period?: string;
  @ApiPropertyOptional({ enum: RECORD_SORTS })
  @IsOptional()
  @IsIn(RECORD_SORTS)
  sort?: RecordSort;
  @ApiPropertyOptional({ minimum: 1, maximum: 500 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional({ description: 'the nextCursor of the page before' })
  @IsOptional()
  @IsString()
  after?: string;
}
