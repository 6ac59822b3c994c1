import { applyDecorators } from '@nestjs/common';
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
  ValidateIf,
} from 'class-validator';
import { CERTIFICATE_STATUSES, CERTIFICATION_SCHEMES, SERVICES, type CertificateStatus } from '@ihl/domain';
import { IsDate, IsReason, NoPersonalCode } from '../http/dto-rules';
import { IsAsOfParameter, IsPositionParameter, IsSlugParameter, QueryRule } from '../http/position-query';

const REF = /^[A-Za-z0-9._:/-]{1,60}$/;
const REF_MESSAGE = '$property must be a code of 1-60 letters, digits or ._:/- (a reference, never a name)';

/** Days before its last valid day a certificate counts as expiring; the checks' default (docs/quality.md). */
export const DEFAULT_EXPIRING_WITHIN_DAYS = 60;

const CertificateRef = () =>
  applyDecorators(
    ApiProperty({ example: 'EQUASS-A-2022-117' }),
    IsString(),
    Matches(REF, { message: REF_MESSAGE }),
    NoPersonalCode(),
  );

export class AwardCertificateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') certificateId!: string;
  @ApiProperty({ example: 'visaginas-spc' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: '$property must be lower-case letters, digits and dashes' })
  partnerId!: string;
  @ApiProperty({ enum: CERTIFICATION_SCHEMES }) @IsIn(CERTIFICATION_SCHEMES) scheme!: string;
  @ApiPropertyOptional({ description: 'the scheme’s name, when scheme is other (only then)' })
  @ValidateIf((o: AwardCertificateDto) => o.scheme === 'other' || o.schemeName !== undefined)
  @IsString()
  @MinLength(3)
  @MaxLength(120)
  @NoPersonalCode()
  schemeName?: string;
  @ApiProperty({ enum: SERVICES, isArray: true, example: ['care', 'nursing'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SERVICES.length)
  @IsIn(SERVICES, { each: true })
  services!: string[];
  @IsDate('2022-03-24') validFrom!: string;
  @IsDate('2024-03-23') validTo!: string;
  @ApiProperty({ example: 'EQUASS (EPR), per VšĮ Valakupių reabilitacijos centrą' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  @NoPersonalCode()
  certifyingBody!: string;
  @CertificateRef() certificateRef!: string;
}

export class RenewCertificateDto {
  @IsDate('2024-03-20') renewedOn!: string;
  @IsDate('2026-03-23') validTo!: string;
  @CertificateRef() certificateRef!: string;
}

export class WithdrawCertificateDto {
  @IsDate('2024-07-01') withdrawnOn!: string;
  @IsReason() reason!: string;
}

const ExpiringWithin = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, description: `0 to 365; ${DEFAULT_EXPIRING_WITHIN_DAYS} unless given` }),
    IsOptional(),
    QueryRule(
      'integer-range',
      (v) => /^\d{1,3}$/.test(v) && Number(v) <= 365,
      'must be a whole number of days from 0 to 365',
    ),
  );

export class CertificateQueryDto {
  @IsAsOfParameter('the certificate') asOf?: string;
  @ExpiringWithin() expiringWithinDays?: string;
}

const LIST_STATUSES = ['all', ...CERTIFICATE_STATUSES] as const;

export class CertificateListQueryDto {
  @IsSlugParameter("that partner's certificates (a partner's token: its own only)") partnerId?: string;
  @ApiPropertyOptional({ enum: LIST_STATUSES, description: 'all unless given' })
  @IsOptional()
  @QueryRule(
    'enum',
    (v) => (LIST_STATUSES as readonly string[]).includes(v),
    `must be one of ${LIST_STATUSES.join(', ')}`,
  )
  status?: CertificateStatus | 'all';
  @ExpiringWithin() expiringWithinDays?: string;
  @IsPositionParameter() position?: string;
  @IsAsOfParameter('the certificates') asOf?: string;
}

export const expiringWithin = (q: { expiringWithinDays?: string }): number =>
  q.expiringWithinDays === undefined ? DEFAULT_EXPIRING_WITHIN_DAYS : Number(q.expiringWithinDays);
