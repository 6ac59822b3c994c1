import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches } from 'class-validator';
import { IsDate, IsMoney, IsOptionalPartnerId, NoPersonalCode } from '../http/dto-rules';
import { IsAsOfParameter } from '../http/position-query';

const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class RecordAdvanceDto {
  @ApiProperty({ example: 'ADV-2024-01', description: "the managing authority's payment reference" })
  @IsString()
  @Matches(REF, { message: '$property must be 1-64 letters, digits, dots, dashes or underscores' })
  @NoPersonalCode()
  advanceId!: string;
  /** Absent: an advance to the project as a whole. */
  @IsOptionalPartnerId() partnerId?: string;
  @IsMoney('50000.00') amount!: string;
  @IsDate() paidOn!: string;
}

export class ClearAdvanceDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') claimId!: string;
  @IsMoney('300.00') amount!: string;
  @IsDate() clearedOn!: string;
}

export class AdvancesQueryDto {
  @IsAsOfParameter('the advances') asOf?: string;
}

export const ADVANCE_ID = REF;
