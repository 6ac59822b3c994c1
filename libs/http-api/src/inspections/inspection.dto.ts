import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { FINDING_SEVERITIES, INSPECTION_KINDS } from '@ihl/domain';
import { IsDate, IsReason, NoPersonalCode } from '../http/dto-rules';
import { IsAsOfParameter } from '../http/position-query';

/** Finding ids, inspector and evidence references: codes, never names (and never a personal code). */
export const FINDING_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REF = /^[A-Za-z0-9._:/-]{1,60}$/;
const REF_MESSAGE = '$property must hold codes of 1-60 letters, digits or ._:/- (references, never names)';

export class RecordInspectionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') inspectionId!: string;
  @ApiProperty({ example: 'visaginas-spc' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: '$property must be lower-case letters, digits and dashes' })
  partnerId!: string;
  @ApiProperty({ enum: INSPECTION_KINDS }) @IsIn(INSPECTION_KINDS) kind!: string;
  @ApiProperty({ example: 'Integrali pagalba namuose, mobilioji komanda' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @NoPersonalCode()
  scope!: string;
  @ApiProperty({ example: ['equass-rights', 'ref:SADM-A1-93'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @NoPersonalCode({ each: true })
  standards!: string[];
  @IsDate('2024-05-02') startedOn!: string;
  @IsDate('2024-05-03') endedOn!: string;
  @ApiProperty({ example: ['INSP-07'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(REF, { each: true, message: REF_MESSAGE })
  @NoPersonalCode({ each: true })
  inspectorRefs!: string[];
}

export class RecordFindingDto {
  @ApiProperty({ example: 'F-1' })
  @IsString()
  @Matches(FINDING_ID, { message: '$property must be 1-64 letters, digits, dots, dashes or underscores' })
  @NoPersonalCode()
  findingId!: string;
  @ApiProperty({ example: 'equass-rights' }) @IsString() @MaxLength(64) @NoPersonalCode() standard!: string;
  @ApiProperty({ enum: FINDING_SEVERITIES }) @IsIn(FINDING_SEVERITIES) severity!: string;
  @ApiProperty() @IsString() @MinLength(3) @MaxLength(2000) @NoPersonalCode() description!: string;
  @IsDate('2024-06-30') dueOn!: string;
}

export class RespondToFindingDto {
  @ApiProperty() @IsString() @MinLength(3) @MaxLength(4000) @NoPersonalCode() response!: string;
  @ApiPropertyOptional({ example: ['EV-2024-118'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(REF, { each: true, message: REF_MESSAGE })
  @NoPersonalCode({ each: true })
  evidenceRefs?: string[];
  @IsDate('2024-06-20') respondedOn!: string;
}

export class ResolveFindingDto {
  @IsDate('2024-07-01') resolvedOn!: string;
}

export class EscalateFindingDto {
  @IsDate('2024-07-05') escalatedOn!: string;
  @IsReason() reason!: string;
}

export class InspectionQueryDto {
  @IsAsOfParameter('the inspection') asOf?: string;
}
