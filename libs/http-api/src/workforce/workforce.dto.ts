import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { SERVICE_END_REASONS, WORKER_ROLES, type ServiceEndReason, type WorkerRole } from '@ihl/domain';
import { IsDate, IsOneOf, IsOptionalPartnerId, IsOptionalText, NoPersonalCode } from '../http/dto-rules';
import { IsAsOfParameter, IsSlugParameter } from '../http/position-query';

/** Worker, team and position references: codes, never names (and never a personal code). */
export const WORKFORCE_REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REF_MESSAGE = '$property must be 1-64 letters, digits, dots, dashes or underscores (a code, never a name)';
const IsWorkforceRef = (example: string) => (target: object, key: string | symbol) => {
  ApiProperty({ example })(target, key);
  IsString()(target, key);
  Matches(WORKFORCE_REF, { message: REF_MESSAGE })(target, key);
  NoPersonalCode()(target, key);
};

export class RegisterWorkerDto {
  @IsOptionalPartnerId() partnerId?: string;
  @IsWorkforceRef('W-017') workerRef!: string;
  @IsWorkforceRef('T-north') teamRef!: string;
  @IsOneOf(WORKER_ROLES) role!: WorkerRole;
  @IsDate('2024-02-01') startedOn!: string;
}

export class AssignWorkerDto {
  @IsOptionalPartnerId() partnerId?: string;
  @IsWorkforceRef('T-south') teamRef!: string;
  @IsDate('2024-04-01') assignedOn!: string;
}

export class WorkerLeftDto {
  @IsOptionalPartnerId() partnerId?: string;
  @IsDate('2024-05-31') leftOn!: string;
}

export class VacatePositionDto {
  @IsOptionalPartnerId() partnerId?: string;
  @IsWorkforceRef('P-07') positionRef!: string;
  @IsWorkforceRef('T-north') teamRef!: string;
  @IsOneOf(WORKER_ROLES) role!: WorkerRole;
  @IsDate('2024-03-01') vacatedOn!: string;
}

export class FillPositionDto {
  @IsOptionalPartnerId() partnerId?: string;
  @IsWorkforceRef('W-018') workerRef!: string;
  @IsDate('2024-03-20') filledOn!: string;
}

export class EndedRecipientDto {
  @ApiProperty({ description: 'personal code (asmens kodas); pseudonymized on arrival, never stored' })
  @IsString()
  @Length(11, 11, { message: '$property must be 11 digits' })
  personalCode!: string;
}

export class EndServiceDto {
  @IsOptionalPartnerId() partnerId?: string;
  @ApiProperty({ type: EndedRecipientDto })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => EndedRecipientDto)
  recipient!: EndedRecipientDto;
  @IsDate('2024-05-10') endedOn!: string;
  @IsOneOf(SERVICE_END_REASONS) reason!: ServiceEndReason;
  @IsOptionalText(500) note?: string;
}

export class WorkforceQueryDto {
  @IsSlugParameter("the partner (a partner's token: its own id only; other roles must name one)") partnerId?: string;
  @IsAsOfParameter('the workforce') asOf?: string;
}
