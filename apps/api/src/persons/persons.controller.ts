import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';
import { ErasePersonCommand, type RequestContext, type WriteResult } from '@ihl/application';
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
    const r = await this.commands.execute<ErasePersonCommand, WriteResult & { pseudonym: string }>(
      new ErasePersonCommand(dto.personalCode, dto.reason, ctx),
    );
    return writeAnswer(res, r, { pseudonym: r.pseudonym, erased: true });
  }
}
