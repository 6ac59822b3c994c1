import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  GetProjectQuery,
  LockPeriodCommand,
  RegisterPartnerCommand,
  ReopenPeriodCommand,
  SetAllocationCommand,
  RegisterProjectCommand,
  type ProjectView,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import { formatMoney, parseProjectDefinition } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { RegisterProjectDto } from './register-project.dto';
import { LockPeriodDto, RegisterPartnerDto, ReopenPeriodDto, SetAllocationDto } from './project-admin.dto';
import { moneyToCents } from '../http/dto-rules';
import { writeAnswer } from '../http/write-answer';
import { NoQueryDto } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { asMoney } from '../http/money-view';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  async register(
    @Body() body: RegisterProjectDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const definition = parseProjectDefinition(JSON.parse(JSON.stringify(body)));
    const result = await this.commands.execute<RegisterProjectCommand, WriteResult>(
      new RegisterProjectCommand(definition, ctx),
    );
    res.status(result.changed ? 201 : 200);
    res.setHeader('ETag', `"${result.revision}"`);
    res.setHeader('Location', `/api/v1/projects/${encodeURIComponent(definition.code)}`);
    return { code: definition.code, streamId: result.streamId, revision: result.revision, position: result.position };
  }

  @Get(':code')
  @Roles('admin', 'agency-auditor', 'finance-officer', 'partner-submitter')
  async get(
    @Param('code') code: string,
    @ValidQuery(NoQueryDto) _query: NoQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(code));
    res.setHeader('ETag', `"${view.revision}"`);
    const { envelopeCents, ...rest } = view.definition;
    return {
      ...rest,
      // Rates as decimal strings, as they were registered ("24.65", not 2465 cents).
      ...(rest.simplifiedCosts ? { simplifiedCosts: asMoney(rest.simplifiedCosts) } : {}),
      envelope: formatMoney(envelopeCents),
      // The definition's partners and those registered since (the web app names partners from here).
      partners: view.partners,
      revision: view.revision,
      position: view.position,
      registeredAt: view.registeredAt,
    };
  }

  @Post(':code/partners')
  @HttpCode(201)
  @Roles('admin')
  async registerPartner(
    @Param('code') code: string,
    @Body() dto: RegisterPartnerDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.commands.execute<RegisterPartnerCommand, WriteResult>(
      new RegisterPartnerCommand(code, { ...dto }, ctx),
    );
    return writeAnswer(res, r, { code, partnerId: dto.id });
  }

  @Put(':code/allocations/:partnerId/:categoryId')
  @Roles('finance-officer')
  async setAllocation(
    @Param('code') code: string,
    @Param('partnerId') partnerId: string,
    @Param('categoryId') categoryId: string,
    @Body() dto: SetAllocationDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.commands.execute<SetAllocationCommand, WriteResult>(
      new SetAllocationCommand(code, partnerId, categoryId, moneyToCents(dto.amount), ctx),
    );
    return writeAnswer(res, r, { code, partnerId, categoryId, amount: dto.amount });
  }

  @Post(':code/periods/:periodId/lock')
  @HttpCode(201)
  @Roles('agency-auditor')
  async lock(
    @Param('code') code: string,
    @Param('periodId') periodId: string,
    @Body() dto: LockPeriodDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.commands.execute<LockPeriodCommand, WriteResult>(
      new LockPeriodCommand(code, periodId, dto.note, ctx),
    );
    return writeAnswer(res, r, { code, periodId, locked: true });
  }

  @Post(':code/periods/:periodId/reopen')
  @HttpCode(201)
  @Roles('agency-auditor')
  async reopen(
    @Param('code') code: string,
    @Param('periodId') periodId: string,
    @Body() dto: ReopenPeriodDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.commands.execute<ReopenPeriodCommand, WriteResult>(
      new ReopenPeriodCommand(code, periodId, dto.reason, ctx),
    );
    return writeAnswer(res, r, { code, periodId, locked: false });
  }
}
