import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsDate, IsMoney, IsReason, IsText } from '../http/dto-rules';

export class RegisterPartnerDto {
  @ApiProperty({ example: 'utena-spc' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: '$property must be lower-case letters, digits and dashes' })
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
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 1000) note?: string;
}
