import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsObject,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { INDICATORS, REPORTING_PERIODS } from '@ihl/domain';
import { NoPersonalCode } from '../http/dto-rules';
import { SimplifiedCostsDto } from './simplified-costs.dto';

const MONEY = /^(0|[1-9]\d{0,12})\.\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const moneyMessage = 'must be a decimal string with two places, e.g. "1234.56" (no floats)';
const dateMessage = 'must be a date YYYY-MM-DD';
const slugMessage = 'must be lower-case letters, digits and dashes';

export class PeriodDto {
  @ApiProperty({ example: '2022-12-08' }) @Matches(DATE, { message: dateMessage }) start!: string;
  @ApiProperty({ example: '2026-12-31' }) @Matches(DATE, { message: dateMessage }) end!: string;
}

export class CoFinancingDto {
  @ApiProperty({ example: 8500, description: 'ESF+ share in basis points' })
  @IsInt()
  @Min(0)
  @Max(10000)
  esfPlusBp!: number;
  @ApiProperty({ example: 1500, description: 'national share in basis points' })
  @IsInt()
  @Min(0)
  @Max(10000)
  nationalBp!: number;
}

/** A partner's own split, its own contribution included (docs/finance.md). */
export class PartnerCoFinancingDto extends CoFinancingDto {
  @ApiProperty({ example: 500, description: "the partner's own contribution in basis points" })
  @IsInt()
  @Min(0)
  @Max(10000)
  ownBp!: number;
}

export class TargetDto {
  @ApiProperty() @Matches(SLUG, { message: slugMessage }) @NoPersonalCode() id!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) @NoPersonalCode() title!: string;
  @ApiProperty({ enum: INDICATORS }) @IsIn(INDICATORS) indicator!: string;
  @ApiProperty({ example: 4018 }) @IsInt() @Min(1) value!: number;
  @ApiProperty({ example: '2026-12-31' }) @Matches(DATE, { message: dateMessage }) deadline!: string;
}

export class PartnerDto {
  @ApiProperty({ example: 'visaginas-spc' }) @Matches(SLUG, { message: slugMessage }) @NoPersonalCode() id!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) @NoPersonalCode() name!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) @NoPersonalCode() municipality!: string;
  @ApiProperty({ example: '2023-01-02' }) @Matches(DATE, { message: dateMessage }) joinedOn!: string;
  @ApiPropertyOptional({ type: PartnerCoFinancingDto, description: "defaults to the project's split" })
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => PartnerCoFinancingDto)
  coFinancing?: PartnerCoFinancingDto;
}

export class BudgetCategoryDto {
  @ApiProperty() @Matches(SLUG, { message: slugMessage }) @NoPersonalCode() id!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) @NoPersonalCode() name!: string;
}

export class AgeBandDto {
  @ApiProperty() @Matches(SLUG, { message: slugMessage }) @NoPersonalCode() id!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) @NoPersonalCode() label!: string;
  @ApiProperty() @IsInt() @Min(0) @Max(130) minAge!: number;
  @ApiProperty({ nullable: true, type: Number }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(0) @Max(130) maxAge!:
    number | null;
}

/** The project definition as registered by an administrator. Money travels as decimal strings. */
export class RegisterProjectDto {
  @ApiProperty({ example: '07-003-P-0001' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]{0,39}$/, { message: 'must be 1-40 letters, digits, dots or dashes' })
  @NoPersonalCode()
  code!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) @NoPersonalCode() title!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(300) @NoPersonalCode() titleEn?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) @NoPersonalCode() implementingBody!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) @NoPersonalCode() fund!: string;
  @ApiProperty({ type: PeriodDto })
  @IsDefined()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => PeriodDto)
  period!: PeriodDto;
  @ApiProperty({ enum: ['EUR'] }) @IsIn(['EUR']) currency!: string;
  @ApiProperty({ example: '43940212.00' }) @IsString() @Matches(MONEY, { message: moneyMessage }) envelope!: string;
  @ApiProperty({ type: CoFinancingDto })
  @IsDefined()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => CoFinancingDto)
  coFinancing!: CoFinancingDto;
  @ApiProperty({ enum: REPORTING_PERIODS }) @IsIn(REPORTING_PERIODS) reportingPeriod!: string;
  @ApiProperty({ type: [TargetDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  targets!: TargetDto[];
  @ApiProperty({ type: [PartnerDto] })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PartnerDto)
  partners!: PartnerDto[];
  @ApiProperty({ type: [BudgetCategoryDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => BudgetCategoryDto)
  budgetCategories!: BudgetCategoryDto[];
  @ApiProperty({ type: [AgeBandDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AgeBandDto)
  ageBands!: AgeBandDto[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  @NoPersonalCode({ each: true })
  notes?: string[];
  @ApiPropertyOptional({ type: SimplifiedCostsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SimplifiedCostsDto)
  simplifiedCosts?: SimplifiedCostsDto;
}
