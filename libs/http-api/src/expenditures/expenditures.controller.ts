import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CorrectExpenditureCommand,
  DeclareExpenditureCommand,
  GetExpenditureQuery,
  VerifyExpenditureCommand,
  VoidExpenditureCommand,
  type ExpenditureView,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import { formatMoney, type ExpenditureFields } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { moneyToCents } from '../http/dto-rules';
import { ownPartnerId } from '../http/partner-scope';
import { writeAnswer } from '../http/write-answer';
import { RecordQueryDto, asOfOf } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { historyCsv, sendCsv } from '../http/csv-export';
import { UuidParam } from '../http/uuid-param.pipe';
import { ReasonDto } from '../activities/activity.dto';
import {
  CorrectExpenditureDto,
  DeclareExpenditureDto,
  VerifyExpenditureDto,
  type ExpenditureValues,
} from './expenditure.dto';

function fieldsOf(dto: ExpenditureValues): ExpenditureFields {
  return {
    categoryId: dto.categoryId,
    amountCents: moneyToCents(dto.amount),
    occurredOn: dto.occurredOn,
    documentRef: dto.documentRef,
    description: dto.description,
  };
}

@ApiTags('expenditures')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/expenditures')
export class ExpendituresController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Runs a command on one record and answers with its id, revision and position. */
  private async answer(res: Response, command: object, id: string) {
    return writeAnswer(res, await this.commands.execute<object, WriteResult>(command), { expenditureId: id });
  }

  @Post()
  @HttpCode(201)
  @Roles('partner-submitter')
  async declare(
    @Param('code') code: string,
    @Body() dto: DeclareExpenditureDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const partnerId = ownPartnerId(ctx, dto.partnerId);
    const r = await this.commands.execute<DeclareExpenditureCommand, WriteResult & { expenditureId: string }>(
      new DeclareExpenditureCommand(code, partnerId, fieldsOf(dto), ctx, dto.expenditureId),
    );
    res.setHeader('Location', `/api/v1/projects/${encodeURIComponent(code)}/expenditures/${r.expenditureId}`);
    return writeAnswer(res, r, { expenditureId: r.expenditureId });
  }

  @Post(':id/corrections')
  @HttpCode(201)
  @Roles('partner-submitter')
  async correct(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: CorrectExpenditureDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(res, new CorrectExpenditureCommand(code, id, fieldsOf(dto), dto.reason, ctx), id);
  }

  @Post(':id/void')
  @HttpCode(201)
  @Roles('partner-submitter')
  async void(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReasonDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(res, new VoidExpenditureCommand(code, id, dto.reason, ctx), id);
  }

  @Post(':id/verify')
  @HttpCode(201)
  @Roles('finance-officer')
  async verify(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: VerifyExpenditureDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(
      res,
      new VerifyExpenditureCommand(code, id, moneyToCents(dto.eligible), moneyToCents(dto.ineligible), dto.note, ctx),
      id,
    );
  }

  @Get(':id')
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  async get(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
    @ValidQuery(RecordQueryDto) query: RecordQueryDto,
  ) {
    const csv = query.format === 'csv';
    const view = await this.queries.execute<GetExpenditureQuery, ExpenditureView>(
      new GetExpenditureQuery({ projectCode: code, expenditureId: id, actor: ctx.actor, asOf: asOfOf(query.asOf) }),
    );
    res.setHeader('ETag', `"${view.revision}"`);
    if (csv) return sendCsv(res, `expenditure-${id}-r${view.revision}`, ...historyCsv(view.history));
    const { fields, verification, ...state } = view.state;
    const { amountCents, ...rest } = fields;
    return {
      ...state,
      fields: { ...rest, amount: formatMoney(amountCents) },
      verification: verification
        ? { eligible: formatMoney(verification.eligibleCents), ineligible: formatMoney(verification.ineligibleCents) }
        : null,
      revision: view.revision,
      history: view.history,
    };
  }
}
