import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import { CLAIM_CUT_REASONS, CLAIM_LINE_OUTCOMES } from '@ihl/domain';
import { IsDate, IsMoney, IsOneOf, IsOptionalNote, IsOptionalUuid, IsReason, MONEY } from '../http/dto-rules';
import { IsAsOfParameter, IsDialectParameter, IsFormatParameter } from '../http/position-query';

export class ComposeClaimDto {
  @ApiProperty({ example: '2024-Q2', description: 'the reporting period the claim is for' })
  @IsString()
  @Matches(/^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/, { message: '$property must be a reporting period such as 2024-Q2' })
  period!: string;
  @IsOptionalUuid() claimId?: string;
  @ApiPropertyOptional({ type: [String], description: 'only these verified costs (all claimable ones when left out)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  expenditureIds?: string[];
}

export class SubmitClaimDto {
  @IsDate() submittedOn!: string;
}

const OptionalMoney = () => (target: object, key: string) => {
  ApiPropertyOptional({ example: '100.00', type: String })(target, key);
  IsOptional()(target, key);
  IsString({ message: '$property must be a decimal string with two places, e.g. "1234.56" (no floats)' })(target, key);
  Matches(MONEY, { message: '$property must be a decimal string with two places, e.g. "1234.56" (no floats)' })(
    target,
    key,
  );
};
const OptionalReason = () => (target: object, key: string) => {
  ApiPropertyOptional({ enum: CLAIM_CUT_REASONS })(target, key);
  IsOptional()(target, key);
  Matches(new RegExp(`^(${CLAIM_CUT_REASONS.join('|')})$`), {
    message: `$property must be one of ${CLAIM_CUT_REASONS.join(', ')}`,
  })(target, key);
};

export class TotalDecisionDto {
  @IsOneOf(CLAIM_LINE_OUTCOMES) outcome!: (typeof CLAIM_LINE_OUTCOMES)[number];
  @OptionalMoney() cut?: string;
  @OptionalReason() reasonCode?: (typeof CLAIM_CUT_REASONS)[number];
  @IsOptionalNote() note?: string;
}
/** A cost line is named by its expenditure's UUID, an SCO line by its key `sco:<option>:<partner>`. */
const LINE_KEY =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|sco:[a-z0-9-]{1,63}:[a-z0-9-]{1,63})$/;

export class LineDecisionDto extends TotalDecisionDto {
  @ApiProperty({ description: 'the expenditure id (UUID) of a cost line, or sco:<option>:<partner> of an SCO line' })
  @IsString()
  @Matches(LINE_KEY, {
    message: '$property must be an expenditure id (UUID) or an SCO line key sco:<option>:<partner>',
  })
  expenditureId!: string;
}

export class ClaimDecisionDto {
  @IsDate() decidedOn!: string;
  @ApiPropertyOptional({ type: [LineDecisionDto], description: 'per line; lines not named are accepted in full' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => LineDecisionDto)
  lines?: LineDecisionDto[];
  @ApiPropertyOptional({ type: TotalDecisionDto, description: 'for the whole claim (a cut is spread over the lines)' })
  @IsOptional()
  @IsDefined()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => TotalDecisionDto)
  total?: TotalDecisionDto;
}

export class ReimbursementDto {
  @IsMoney('1000.00') amount!: string;
  @IsDate() paidOn!: string;
}

export class WithdrawClaimDto {
  @IsReason() reason!: string;
}

/** A claim's read: `asOf`; `format` csv or xlsx: its register of lines, totals and shares. */
export class ClaimQueryDto {
  @IsAsOfParameter('the claim') asOf?: string;
  @IsFormatParameter(['json', 'csv', 'xlsx'], 'csv and xlsx: the register of its lines, totals and co-financing shares')
  format?: string;
  @IsDialectParameter() dialect?: string;
}

export class ClaimListQueryDto {
  @IsAsOfParameter('the claims') asOf?: string;
}
