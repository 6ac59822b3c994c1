import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ComposeClaimCommand,
  GetClaimQuery,
  ListClaimsQuery,
  RecordClaimDecisionCommand,
  RecordReimbursementCommand,
  SubmitClaimCommand,
  WithdrawClaimCommand,
  type ClaimListView,
  type ClaimView,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import type { TotalDecisionInput } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { moneyToCents } from '../http/dto-rules';
import { asMoney } from '../http/money-view';
import { asOfOf, dialectOf } from '../http/position-query';
import { UuidParam } from '../http/uuid-param.pipe';
import { ValidQuery } from '../http/valid-query.decorator';
import { commandAnswer, createdAnswer } from '../http/write-answer';
import {
  ClaimDecisionDto,
  ClaimListQueryDto,
  ClaimQueryDto,
  ComposeClaimDto,
  ReimbursementDto,
  SubmitClaimDto,
  WithdrawClaimDto,
  type TotalDecisionDto,
} from './claim.dto';
import { sendClaim } from './claim-export';

const decisionOf = (d: TotalDecisionDto): TotalDecisionInput => ({
  outcome: d.outcome,
  ...(d.cut !== undefined ? { cutCents: moneyToCents(d.cut) } : {}),
  ...(d.reasonCode ? { reasonCode: d.reasonCode } : {}),
  ...(d.note ? { note: d.note } : {}),
});

/**
 * Payment claims: finance composes, submits and records the managing authority's decision and
 * payments; the agency reads them. A partner reads its own part of them: the lines of its own
 * costs and SCO amounts, its totals and shares, no history (partnerPartOf in libs/application).
 */
@ApiTags('claims')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/claims')
export class ClaimsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('finance-officer', 'agency-auditor', 'admin', 'partner-submitter')
  async list(
    @Param('code') code: string,
    @ValidQuery(ClaimListQueryDto) q: ClaimListQueryDto,
    @Ctx() ctx: RequestContext,
  ) {
    const view = await this.queries.execute<ListClaimsQuery, ClaimListView>(
      new ListClaimsQuery({ projectCode: code, actor: ctx.actor, asOf: asOfOf(q.asOf) }),
    );
    return asMoney(view);
  }

  @Post()
  @HttpCode(201)
  @Roles('finance-officer')
  async compose(
    @Param('code') code: string,
    @Body() dto: ComposeClaimDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.commands.execute<ComposeClaimCommand, WriteResult & { claimId: string }>(
      new ComposeClaimCommand(code, dto.period, dto.expenditureIds, ctx, dto.claimId),
    );
    return createdAnswer(res, r, { code, collection: 'claims', id: r.claimId }, { claimId: r.claimId });
  }

  @Get(':claimId')
  @Roles('finance-officer', 'agency-auditor', 'admin', 'partner-submitter')
  async get(
    @Param('code') code: string,
    @Param('claimId', UuidParam) claimId: string,
    @ValidQuery(ClaimQueryDto) q: ClaimQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const dialect = dialectOf(q);
    const view = await this.queries.execute<GetClaimQuery, ClaimView>(
      new GetClaimQuery({ projectCode: code, actor: ctx.actor, asOf: asOfOf(q.asOf), claimId }),
    );
    if (q.format === 'csv' || q.format === 'xlsx')
      return sendClaim(res, `claim-${code}-${view.period}-at-${view.position}`, view, q.format, dialect);
    res.setHeader('ETag', `"${view.revision}"`);
    return asMoney(view);
  }

  @Post(':claimId/withdraw')
  @Roles('finance-officer')
  withdraw(
    @Param('code') code: string,
    @Param('claimId', UuidParam) claimId: string,
    @Body() dto: WithdrawClaimDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return commandAnswer(this.commands, res, new WithdrawClaimCommand(code, claimId, dto.reason, ctx), { claimId });
  }

  @Post(':claimId/submit')
  @Roles('finance-officer')
  submit(
    @Param('code') code: string,
    @Param('claimId', UuidParam) claimId: string,
    @Body() dto: SubmitClaimDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return commandAnswer(this.commands, res, new SubmitClaimCommand(code, claimId, dto.submittedOn, ctx), { claimId });
  }

  @Post(':claimId/decision')
  @Roles('finance-officer')
  decision(
    @Param('code') code: string,
    @Param('claimId', UuidParam) claimId: string,
    @Body() dto: ClaimDecisionDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const lines = dto.lines?.map((l) => ({ expenditureId: l.expenditureId, ...decisionOf(l) }));
    const total = dto.total ? decisionOf(dto.total) : undefined;
    return commandAnswer(
      this.commands,
      res,
      new RecordClaimDecisionCommand(code, claimId, dto.decidedOn, lines, total, ctx),
      { claimId },
    );
  }

  @Post(':claimId/reimbursements')
  @Roles('finance-officer')
  reimbursement(
    @Param('code') code: string,
    @Param('claimId', UuidParam) claimId: string,
    @Body() dto: ReimbursementDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = new RecordReimbursementCommand(code, claimId, moneyToCents(dto.amount), dto.paidOn, ctx);
    return commandAnswer(this.commands, res, command, { claimId });
  }
}
