import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  AUDIENCES,
  CONSULTATION_TOPICS,
  EQUIPMENT_CATEGORIES,
  PSYCH_RECIPIENTS,
  SERVICES,
  SETTINGS,
  SEXES,
  SUPPORT_FORMATS,
  TARGET_GROUPS,
  TRAINING_KINDS,
} from '@ihl/domain';
import {
  IsCount,
  IsDate,
  IsMoney,
  IsOneOf,
  IsOptionalNote,
  IsOptionalPartnerId,
  IsOptionalRef,
  IsOptionalUuid,
  IsReason,
  IsText,
} from '../http/dto-rules';

export class ProfileDto {
  @ApiPropertyOptional({ enum: SEXES }) @IsOptional() @IsIn(SEXES) sex?: (typeof SEXES)[number];
  @ApiPropertyOptional({ example: 1948 }) @IsOptional() @IsInt() @Min(1900) @Max(2026) birthYear?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disability?: boolean;
}

export class RecipientDto {
  @ApiProperty({
    description: 'personal code (asmens kodas); pseudonymized on arrival, never stored',
    example: '38703181745',
  })
  @IsString()
  @Length(11, 11, { message: '$property must be 11 digits' })
  personalCode!: string;
  @ApiPropertyOptional({ type: ProfileDto, description: 'sealed with the person’s own key' })
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => ProfileDto)
  profile?: ProfileDto;
}

/** A service's start or end time that day, HH:MM. */
const IsOptionalTime = (example: string) => (target: object, key: string | symbol) => {
  ApiPropertyOptional({ example, description: 'time of day HH:MM (with the other time: the minutes are derived)' })(
    target,
    key,
  );
  IsOptional()(target, key);
  IsString()(target, key);
  Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: '$property must be a time of day HH:MM' })(target, key);
};

export class ServiceDeliveredValues {
  @IsDate() occurredOn!: string;
  @IsOneOf(SERVICES) service!: (typeof SERVICES)[number];
  @IsOneOf(TARGET_GROUPS) targetGroup!: (typeof TARGET_GROUPS)[number];
  @IsOneOf(SETTINGS) setting!: (typeof SETTINGS)[number];
  /** May be left out when both times are given: it is then their span (and must be, when given). */
  @ValidateIf((o: ServiceDeliveredValues) => o.durationMinutes !== undefined || !o.startTime || !o.endTime)
  @IsCount(1, 1440)
  durationMinutes!: number;
  @ApiProperty({ type: RecipientDto })
  @IsDefined()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => RecipientDto)
  recipient!: RecipientDto;
  @IsOptionalRef() workerRef?: string;
  @IsOptionalRef() teamRef?: string;
  @IsOptionalTime('08:30') startTime?: string;
  @IsOptionalTime('10:00') endTime?: string;
}
export class CaregiverConsultationValues {
  @IsDate() occurredOn!: string;
  @IsOneOf(CONSULTATION_TOPICS) topic!: (typeof CONSULTATION_TOPICS)[number];
  @IsCount(1, 1440) durationMinutes!: number;
  @IsCount(1, 100) familyMembers!: number;
  @IsOptionalRef() workerRef?: string;
}
export class PsychologicalSupportValues {
  @IsDate() occurredOn!: string;
  @IsOneOf(PSYCH_RECIPIENTS) recipientKind!: (typeof PSYCH_RECIPIENTS)[number];
  @IsOneOf(SUPPORT_FORMATS) format!: (typeof SUPPORT_FORMATS)[number];
  @IsCount(1, 1440) durationMinutes!: number;
  @IsCount(1, 500) participants!: number;
  @IsOptionalRef() workerRef?: string;
}
export class TrainingHeldValues {
  @IsDate() occurredOn!: string;
  @IsOneOf(TRAINING_KINDS) trainingKind!: (typeof TRAINING_KINDS)[number];
  @IsText() topic!: string;
  @IsCount(1, 14400) durationMinutes!: number;
  @IsCount(1, 10000) participants!: number;
}
export class EquipmentProcuredValues {
  @IsDate() occurredOn!: string;
  @IsOneOf(EQUIPMENT_CATEGORIES) category!: (typeof EQUIPMENT_CATEGORIES)[number];
  @IsText() description!: string;
  @IsCount(1, 100000) quantity!: number;
  @IsMoney('1499.99') unitPrice!: string;
  @IsMoney('2999.98') total!: string;
  @IsText() supplier!: string;
  @IsText(100) contractRef!: string;
}
export class PromotionEventValues {
  @IsDate() occurredOn!: string;
  @IsOneOf(AUDIENCES) audience!: (typeof AUDIENCES)[number];
  @IsText() title!: string;
  @IsCount(1, 100000) attendees!: number;
}

// Submissions: the values plus the optional ids. Corrections: the values plus a reason.
export class SubmitServiceDeliveredDto extends ServiceDeliveredValues {
  @IsOptionalUuid() activityId?: string;
  @IsOptionalPartnerId() partnerId?: string;
}
export class SubmitCaregiverConsultationDto extends CaregiverConsultationValues {
  @IsOptionalUuid() activityId?: string;
  @IsOptionalPartnerId() partnerId?: string;
}
export class SubmitPsychologicalSupportDto extends PsychologicalSupportValues {
  @IsOptionalUuid() activityId?: string;
  @IsOptionalPartnerId() partnerId?: string;
}
export class SubmitTrainingHeldDto extends TrainingHeldValues {
  @IsOptionalUuid() activityId?: string;
  @IsOptionalPartnerId() partnerId?: string;
}
export class SubmitEquipmentProcuredDto extends EquipmentProcuredValues {
  @IsOptionalUuid() activityId?: string;
  @IsOptionalPartnerId() partnerId?: string;
}
export class SubmitPromotionEventDto extends PromotionEventValues {
  @IsOptionalUuid() activityId?: string;
  @IsOptionalPartnerId() partnerId?: string;
}

export class CorrectServiceDeliveredDto extends ServiceDeliveredValues {
  @IsReason() reason!: string;
}
export class CorrectCaregiverConsultationDto extends CaregiverConsultationValues {
  @IsReason() reason!: string;
}
export class CorrectPsychologicalSupportDto extends PsychologicalSupportValues {
  @IsReason() reason!: string;
}
export class CorrectTrainingHeldDto extends TrainingHeldValues {
  @IsReason() reason!: string;
}
export class CorrectEquipmentProcuredDto extends EquipmentProcuredValues {
  @IsReason() reason!: string;
}
export class CorrectPromotionEventDto extends PromotionEventValues {
  @IsReason() reason!: string;
}

export class ReasonDto {
  @IsReason() reason!: string;
}
export class NoteDto {
  @IsOptionalNote() note?: string;
}

export class BatchDto {
  @IsOptionalPartnerId() partnerId?: string;
  @ApiProperty({
    description:
      'records of any kind, each with "kind" (service-delivered, caregiver-consultation, psychological-support, training-held, equipment-procured, promotion-event) and that kind’s fields; all are accepted or none',
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  records!: unknown[];
}
