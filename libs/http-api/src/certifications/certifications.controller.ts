import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AwardCertificateCommand,
  GetCertificateQuery,
  ListCertificatesQuery,
  RenewCertificateCommand,
  WithdrawCertificateCommand,
  type CertificateListView,
  type CertificateView,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import type { CertificationScheme, Service } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { asOfOf, figureParams, figureQueryOf } from '../http/position-query';
import { UuidParam } from '../http/uuid-param.pipe';
import { ValidQuery } from '../http/valid-query.decorator';
import { commandAnswer, createdAnswer } from '../http/write-answer';
import {
  AwardCertificateDto,
  CertificateListQueryDto,
  CertificateQueryDto,
  RenewCertificateDto,
  WithdrawCertificateDto,
  expiringWithin,
} from './certification.dto';

/**
 * Quality certificates of partners' services (docs/quality.md): the agency auditor records awards,
 * renewals and withdrawals; the certified partner reads its own; finance does not take part.
 */
@ApiTags('quality')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/certifications')
export class CertificationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('agency-auditor')
  async award(
    @Param('code') code: string,
    @Body() dto: AwardCertificateDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { certificateId, scheme, schemeName, services, ...rest } = dto;
    const input = {
      ...rest,
      certificateId,
      projectCode: code,
      scheme: scheme as CertificationScheme,
      schemeName: schemeName ?? null,
      services: services as Service[],
    };
    const r = await this.commands.execute<AwardCertificateCommand, WriteResult>(
      new AwardCertificateCommand(code, certificateId, input, ctx),
    );
    return createdAnswer(res, r, { code, collection: 'certifications', id: certificateId }, { certificateId });
  }

  @Get()
  @Roles('agency-auditor', 'partner-submitter', 'admin')
  list(
    @Param('code') code: string,
    @ValidQuery(CertificateListQueryDto) q: CertificateListQueryDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CertificateListView> {
    return this.queries.execute(
      new ListCertificatesQuery({
        ...figureQueryOf(code, ctx, figureParams(q)),
        partnerId: q.partnerId,
        status: q.status ?? 'all',
        expiringWithinDays: expiringWithin(q),
      }),
    );
  }

  @Get(':certificateId')
  @Roles('agency-auditor', 'partner-submitter', 'admin')
  async get(
    @Param('code') code: string,
    @Param('certificateId', UuidParam) certificateId: string,
    @ValidQuery(CertificateQueryDto) q: CertificateQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.queries.execute<GetCertificateQuery, CertificateView>(
      new GetCertificateQuery({
        projectCode: code,
        actor: ctx.actor,
        asOf: asOfOf(q.asOf),
        certificateId,
        expiringWithinDays: expiringWithin(q),
      }),
    );
    res.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Post(':certificateId/renewal')
  @Roles('agency-auditor')
  renew(
    @Param('code') code: string,
    @Param('certificateId', UuidParam) certificateId: string,
    @Body() dto: RenewCertificateDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = new RenewCertificateCommand(code, certificateId, { ...dto }, ctx);
    return commandAnswer(this.commands, res, command, { certificateId });
  }

  @Post(':certificateId/withdrawal')
  @Roles('agency-auditor')
  withdraw(
    @Param('code') code: string,
    @Param('certificateId', UuidParam) certificateId: string,
    @Body() dto: WithdrawCertificateDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = new WithdrawCertificateCommand(code, certificateId, { ...dto }, ctx);
    return commandAnswer(this.commands, res, command, { certificateId });
  }
}
