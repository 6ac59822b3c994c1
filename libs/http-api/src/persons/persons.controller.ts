import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';
import { ErasePersonCommand, type RequestContext, type WriteResult } from '@ihl/application';
import { DomainValidationError } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { IsReason } from '../http/dto-rules';
import { writeAnswer } from '../http/write-answer';

export class ErasePersonDto {
  @ApiProperty({ description: 'the person’s personal code; used to find the pseudonym, never stored' })
  @IsString()
  @Length(11, 11, { message: '$property must be 11 digits' })
  personalCode!: string;
  @IsReason() reason!: string;
}

/** The person registry names the code as activities send it (recipient.personalCode); here it is personalCode. */
function asErasureIssue<T extends { field: string }>(issue: T): T {
  return issue.field === 'recipient.personalCode' ? { ...issue, field: 'personalCode' } : issue;
}

@ApiTags('persons')
@ApiBearerAuth()
@Controller('api/v1/persons')
export class PersonsController {
  constructor(private readonly commands: CommandBus) {}

  /** Right to erasure: destroys the person's profile key; pseudonymous counts stay. */
  @Post('erasures')
  @HttpCode(201)
  @Roles('admin')
  async erase(@Body() dto: ErasePersonDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands
      .execute<ErasePersonCommand, WriteResult & { pseudonym: string }>(
        new ErasePersonCommand(dto.personalCode, dto.reason, ctx),
      )
      .catch((e: unknown) => {
        throw e instanceof DomainValidationError ? new DomainValidationError(e.issues.map(asErasureIssue)) : e;
      });
    return writeAnswer(res, r, { pseudonym: r.pseudonym, erased: true });
  }
}
