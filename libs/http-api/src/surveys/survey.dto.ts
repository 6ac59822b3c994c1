import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MIN_RESPONDENTS, RESPONDENT_GROUPS, type RespondentGroup } from '@ihl/domain';
import { IsDate, IsReason, NoPersonalCode } from '../http/dto-rules';
import { IsAsOfParameter, IsPositionParameter, IsSlugParameter, QueryRule } from '../http/position-query';

const Count = () => applyDecorators(ApiPropertyOptional({ minimum: 0 }), IsOptional(), IsInt(), Min(0), Max(100_000));

/**
 * How many respondents chose each option of the scale; only these keys are taken (anything else,
 * such as a respondent's id or words, is refused as an unknown field).
 */
export class DistributionDto {
  @Count() 'very-dissatisfied'?: number;
  @Count() dissatisfied?: number;
  @Count() neutral?: number;
  @Count() satisfied?: number;
  @Count() 'very-satisfied'?: number;
  @Count() 'no-answer'?: number;
}

export class SurveyQuestionDto {
  @ApiProperty({ example: 'Q1' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { message: '$property must be a code of 1-32 letters, digits, ._-' })
  @NoPersonalCode()
  questionId!: string;
  @ApiProperty({ example: 'Ar esate patenkinti paslaugomis?' })
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  @NoPersonalCode()
  text!: string;
  @ApiProperty({ type: DistributionDto })
  @IsObject({ message: '$property must be an object of counts per answer option' })
  @ValidateNested()
  @Type(() => DistributionDto)
  distribution!: DistributionDto;
}

/** Aggregated results only: a group, a period, respondents, and counts per question. */
export class SurveyResultsDto {
  @ApiProperty({ enum: RESPONDENT_GROUPS }) @IsIn(RESPONDENT_GROUPS) respondentGroup!: string;
  @IsDate('2024-04-01') periodFrom!: string;
  @IsDate('2024-06-30') periodTo!: string;
  @ApiProperty({
    minimum: MIN_RESPONDENTS,
    description: `at least ${MIN_RESPONDENTS}: smaller groups re-identify people`,
  })
  @IsInt()
  @Min(0)
  @Max(100_000)
  respondents!: number;
  @ApiProperty({ type: [SurveyQuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  // ValidateNested passes an array nested in the array; each question must be an object.
  @IsObject({ each: true, message: '$property must hold one object per question' })
  @ValidateNested({ each: true })
  @Type(() => SurveyQuestionDto)
  questions!: SurveyQuestionDto[];
}

export class RecordSurveyResultsDto extends SurveyResultsDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') surveyId!: string;
  @ApiProperty({ example: 'visaginas-spc' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: '$property must be lower-case letters, digits and dashes' })
  partnerId!: string;
}

export class CorrectSurveyResultsDto extends SurveyResultsDto {
  @IsReason() reason!: string;
}

export class VoidSurveyResultsDto {
  @IsReason() reason!: string;
}

export class SurveyQueryDto {
  @IsAsOfParameter('the survey') asOf?: string;
}

export class SurveyListQueryDto {
  @IsSlugParameter("that partner's surveys (a partner's token: its own only)") partnerId?: string;
  @ApiPropertyOptional({ enum: RESPONDENT_GROUPS })
  @IsOptional()
  @QueryRule(
    'enum',
    (v) => RESPONDENT_GROUPS.includes(v as RespondentGroup),
    `must be one of ${RESPONDENT_GROUPS.join(', ')}`,
  )
  respondentGroup?: RespondentGroup;
  @IsPositionParameter() position?: string;
  @IsAsOfParameter('the surveys') asOf?: string;
}

/** The DTO's results as the domain takes them (options nobody chose are left out). */
export function surveyResultsOf(dto: SurveyResultsDto) {
  return {
    respondentGroup: dto.respondentGroup as RespondentGroup,
    periodFrom: dto.periodFrom,
    periodTo: dto.periodTo,
    respondents: dto.respondents,
    questions: dto.questions.map((q) => ({
      questionId: q.questionId,
      text: q.text,
      distribution: Object.fromEntries(Object.entries(q.distribution).filter(([, n]) => n !== undefined)),
    })),
  };
}
