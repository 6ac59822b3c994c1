import { BadRequestException, Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  RecordDeliverableCommand,
  VerifyDeliverableCommand,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { writeAnswer } from '../http/write-answer';
import { LUMP_SUM_ID, RecordDeliverableDto, VerifyDeliverableDto } from './deliverable.dto';

/** The deliverables of lump sums: partners record them, finance verifies (docs/simplified-costs.md). */
@ApiTags('simplified-costs')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/deliverables')
export class DeliverablesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('partner-submitter')
  async record(
    @Param('code') code: string,
    @Body() dto: RecordDeliverableDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.commands.execute<RecordDeliverableCommand, WriteResult>(
      new RecordDeliverableCommand(code, dto.lumpSumId, dto.achievedOn, dto.evidenceIds ?? [], dto.note ?? null, ctx),
    );
    return writeAnswer(res, r, { lumpSumId: dto.lumpSumId });
  }

  /** `:id` is the lump sum's id: each lump sum has one deliverable. */
  @Post(':id/verify')
  @Roles('finance-officer')
  async verify(
    @Param('code') code: string,
    @Param('id') id: string,
    @Body() dto: VerifyDeliverableDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!LUMP_SUM_ID.test(id))
      throw new BadRequestException({
        message: 'id: must be lower-case letters, digits and dashes (1-63 characters)',
        issues: [
          { field: 'id', rule: 'slug', message: 'must be lower-case letters, digits and dashes (1-63 characters)' },
        ],
      });
    const r = await this.commands.execute<VerifyDeliverableCommand, WriteResult>(
      new VerifyDeliverableCommand(code, id, dto.accepted, dto.reason, ctx),
    );
    return writeAnswer(res, r, { lumpSumId: id, accepted: dto.accepted });
  }
}
