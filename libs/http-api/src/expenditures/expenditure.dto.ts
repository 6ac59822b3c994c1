import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import {
  IsDate,
  IsMoney,
  IsOptionalNote,
  IsOptionalPartnerId,
  IsOptionalUuid,
  IsReason,
  IsText,
  NoPersonalCode,
} from '../http/dto-rules';

export class ExpenditureValues {
  @ApiPropertyOptional({ example: 'staff' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: '$property must be a budget category id' })
  @NoPersonalCode()
  categoryId!: string;
  @IsMoney('1234.56') amount!: string;
  @IsDate() occurredOn!: string;
  @IsText(100) documentRef!: string;
  @IsText(500) description!: string;
}
export class DeclareExpenditureDto extends ExpenditureValues {
  @IsOptionalUuid() expenditureId?: string;
  @IsOptionalPartnerId() partnerId?: string;
}
export class CorrectExpenditureDto extends ExpenditureValues {
  @IsReason() reason!: string;
}
export class VerifyExpenditureDto {
  @IsMoney('1000.00') eligible!: string;
  @IsMoney('234.56') ineligible!: string;
  @IsOptionalNote() note?: string;
}
