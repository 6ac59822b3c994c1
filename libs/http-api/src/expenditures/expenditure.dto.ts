import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { INELIGIBILITY_REASONS, VAT_TREATMENTS, type VatTreatment } from '@ihl/domain';
import {
  IsDate,
  IsMoney,
  IsOptionalNote,
  IsOptionalPartnerId,
  IsOptionalUuid,
  MONEY,
  IsReason,
  IsText,
  NoPersonalCode,
} from '../http/dto-rules';

/** Who was paid: a name and a company or VAT code, never a person's code (docs/finance.md). */
export class SupplierDto {
  @IsText(200) name!: string;
  @ApiPropertyOptional({ example: '302456789' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{1,29}$/, { message: '$property must be a company or VAT code' })
  @NoPersonalCode()
  code?: string;
}

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
  @ApiPropertyOptional() @IsOptional() @IsDate() documentDate?: string;
  @ApiProperty({ type: SupplierDto, required: false })
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => SupplierDto)
  supplier?: SupplierDto;
  @ApiPropertyOptional({ enum: VAT_TREATMENTS }) @IsOptional() @IsIn(VAT_TREATMENTS) vatTreatment?: VatTreatment;
}
export class DeclareExpenditureDto extends ExpenditureValues {
  @IsOptionalUuid() expenditureId?: string;
  @IsOptionalPartnerId() partnerId?: string;
}
export class CorrectExpenditureDto extends ExpenditureValues {
  @IsReason() reason!: string;
}
/** An ineligible amount above 0.00, well formed (a malformed one is refused by its own rule). */
const cutAmount = (v: unknown): boolean => typeof v === 'string' && MONEY.test(v) && v !== '0.00';

export class VerifyExpenditureDto {
  @IsMoney('1000.00') eligible!: string;
  @IsMoney('234.56') ineligible!: string;
  @IsOptionalNote() note?: string;
  @ApiPropertyOptional({
    enum: INELIGIBILITY_REASONS,
    description: 'why the ineligible amount is ineligible: required when it is above 0.00',
  })
  // Required with an ineligible amount above 0.00; given with none, the domain refuses it (422).
  @ValidateIf((o: VerifyExpenditureDto) => o.ineligibleReason !== undefined || cutAmount(o.ineligible))
  @IsIn(INELIGIBILITY_REASONS, {
    message: `$property is required with an ineligible amount above 0.00, one of ${INELIGIBILITY_REASONS.join(', ')}`,
  })
  ineligibleReason?: string;
}

/** The equipment record (an equipment-procured activity of the same partner) this expenditure paid for. */
export class LinkEquipmentDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') activityId!: string;
}
