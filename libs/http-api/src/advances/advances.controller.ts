import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ClearAdvanceCommand,
  ListAdvancesQuery,
  RecordAdvanceCommand,
  type AdvancesView,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { moneyToCents } from '../http/dto-rules';
import { asMoney } from '../http/money-view';
import { asOfOf } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { createdAnswer, writeAnswer } from '../http/write-answer';
import { ADVANCE_ID, AdvancesQueryDto, ClearAdvanceDto, RecordAdvanceDto } from './advance.dto';

/** Advances the managing authority paid, and their clearing against claims: finance writes, the agency reads. */
@ApiTags('claims')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/advances')
export class AdvancesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('finance-officer', 'agency-auditor', 'admin')
  async list(
    @Param('code') code: string,
    @ValidQuery(AdvancesQueryDto) q: AdvancesQueryDto,
    @Ctx() ctx: RequestContext,
  ) {
    const view = await this.queries.execute<ListAdvancesQuery, AdvancesView>(
      new ListAdvancesQuery({ projectCode: code, actor: ctx.actor, asOf: asOfOf(q.asOf) }),
    );
    return asMoney(view);
  }

  @Post()
  @HttpCode(201)
  @Roles('finance-officer')
  async record(
    @Param('code') code: string,
    @Body() dto: RecordAdvanceDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.commands.execute<RecordAdvanceCommand, WriteResult>(
      new RecordAdvanceCommand(code, dto.advanceId, dto.partnerId ?? null, moneyToCents(dto.amount), dto.paidOn, ctx),
    );
    return createdAnswer(res, r, { code, collection: 'advances', id: dto.advanceId }, { advanceId: dto.advanceId });
  }

  @Post(':advanceId/clearings')
  @Roles('finance-officer')
  async clear(
    @Param('code') code: string,
    @Param('advanceId') advanceId: string,
    @Body() dto: ClearAdvanceDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!ADVANCE_ID.test(advanceId))
      throw new BadRequestException({
        message: 'advanceId: must be 1-64 letters, digits, dots, dashes or underscores',
        issues: [
          { field: 'advanceId', rule: 'ref', message: 'must be 1-64 letters, digits, dots, dashes or underscores' },
        ],
      });
    const r = await this.commands.execute<ClearAdvanceCommand, WriteResult>(
      new ClearAdvanceCommand(code, advanceId, dto.claimId, moneyToCents(dto.amount), dto.clearedOn, ctx),
    );
    return writeAnswer(res, r, { advanceId, claimId: dto.claimId });
  }
}
