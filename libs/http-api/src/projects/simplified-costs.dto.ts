import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { SCO_VOLUMES, SERVICES, SETTINGS } from '@ihl/domain';
import { IsMoney, IsText } from '../http/dto-rules';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SLUG_MESSAGE = 'must be lower-case letters, digits and dashes (1-63 characters)';

/** EUR per unit of a verified activity volume; the amount itself is never typed, it is computed. */
export class UnitCostDto {
  @ApiProperty({ example: 'home-care-hour' }) @Matches(SLUG, { message: SLUG_MESSAGE }) id!: string;
  @IsText() title!: string;
  @ApiProperty({ example: 'services' }) @Matches(SLUG, { message: SLUG_MESSAGE }) categoryId!: string;
  @IsMoney('24.65') rate!: string;
  @ApiProperty({ enum: Object.keys(SCO_VOLUMES) }) @IsIn(Object.keys(SCO_VOLUMES)) volume!: string;
  @ApiPropertyOptional({ enum: SERVICES }) @IsOptional() @IsIn(SERVICES) service?: string;
  @ApiPropertyOptional({ enum: SETTINGS }) @IsOptional() @IsIn(SETTINGS) setting?: string;
}

/** A percentage ("15.00") of the verified eligible real costs of the base categories. */
export class FlatRateDto {
  @ApiProperty({ example: 'indirect-15' }) @Matches(SLUG, { message: SLUG_MESSAGE }) id!: string;
  @IsText() title!: string;
  @ApiProperty({ example: 'indirect' }) @Matches(SLUG, { message: SLUG_MESSAGE }) categoryId!: string;
  @ApiProperty({ example: '15.00' })
  @IsString()
  @Matches(/^\d{1,3}\.\d{2}$/, { message: 'must be a decimal string with two places, e.g. "15.00"' })
  percent!: string;
  @ApiProperty({ type: [String], example: ['staff'] })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(SLUG, { each: true, message: SLUG_MESSAGE })
  baseCategories!: string[];
}

/** A fixed amount, paid whole once finance accepts the partner's deliverable. */
export class LumpSumDto {
  @ApiProperty({ example: 'care-plan' }) @Matches(SLUG, { message: SLUG_MESSAGE }) id!: string;
  @IsText() title!: string;
  @ApiProperty({ example: 'services' }) @Matches(SLUG, { message: SLUG_MESSAGE }) categoryId!: string;
  @ApiProperty({ example: 'visaginas-spc' }) @Matches(SLUG, { message: SLUG_MESSAGE }) partnerId!: string;
  @IsMoney('5000.00') amount!: string;
  @IsText(1000) deliverable!: string;
}

/** Simplified cost options of a project (docs/simplified-costs.md); checked further by the domain. */
export class SimplifiedCostsDto {
  @ApiPropertyOptional({ type: [UnitCostDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => UnitCostDto)
  unitCosts?: UnitCostDto[];
  @ApiPropertyOptional({ type: [FlatRateDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FlatRateDto)
  flatRates?: FlatRateDto[];
  @ApiPropertyOptional({ type: [LumpSumDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => LumpSumDto)
  lumpSums?: LumpSumDto[];
}
