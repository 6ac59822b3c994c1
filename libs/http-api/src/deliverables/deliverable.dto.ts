import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, Matches } from 'class-validator';
import { IsDate, IsOptionalText, NoPersonalCode } from '../http/dto-rules';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class RecordDeliverableDto {
  @ApiProperty({ example: 'care-plan', description: "one of the partner's lump sums in the project definition" })
  @Matches(SLUG, { message: '$property must be lower-case letters, digits and dashes (1-63 characters)' })
  lumpSumId!: string;
  @IsDate() achievedOn!: string;
  @ApiPropertyOptional({ type: [String], description: 'evidence references (uploaded files, document numbers)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(REF, { each: true, message: 'each of $property must be 1-64 letters, digits, dots, dashes or underscores' })
  @NoPersonalCode()
  evidenceIds?: string[];
  @IsOptionalText(1000) note?: string;
}

export class VerifyDeliverableDto {
  @ApiProperty({ description: 'true: the lump sum counts, whole; false: it counts for nothing (give a reason)' })
  @IsBoolean()
  accepted!: boolean;
  @IsOptionalText(1000) reason?: string;
}

export const LUMP_SUM_ID = SLUG;
