import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { IsDate, IsMoney, IsOptionalNote, IsReason, IsText, NoPersonalCode } from '../http/dto-rules';

export class RegisterPartnerDto {
  @ApiProperty({ example: 'utena-spc' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: '$property must be lower-case letters, digits and dashes' })
  @NoPersonalCode()
  id!: string;
  @IsText() name!: string;
  @IsText() municipality!: string;
  @IsDate('2023-02-01') joinedOn!: string;
}
export class SetAllocationDto {
  @IsMoney('250000.00') amount!: string;
}
export class ReopenPeriodDto {
  @IsReason() reason!: string;
}
/** Locking needs no input; an optional note goes into the PeriodLocked event. */
export class LockPeriodDto {
  @IsOptionalNote() note?: string;
}
