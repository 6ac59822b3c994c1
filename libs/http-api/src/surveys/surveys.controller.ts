import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CorrectSurveyResultsCommand,
  GetSurveyQuery,
  ListSurveysQuery,
  RecordSurveyResultsCommand,
  VoidSurveyResultsCommand,
  type RequestContext,
  type SurveyListView,
  type SurveyView,
  type WriteResult,
} from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { asOfOf, figureParams, figureQueryOf } from '../http/position-query';
import { UuidParam } from '../http/uuid-param.pipe';
import { ValidQuery } from '../http/valid-query.decorator';
import { commandAnswer, createdAnswer } from '../http/write-answer';
import {
  CorrectSurveyResultsDto,
  RecordSurveyResultsDto,
  SurveyListQueryDto,
  SurveyQueryDto,
  VoidSurveyResultsDto,
  surveyResultsOf,
} from './survey.dto';

/**
 * Satisfaction surveys' aggregated results (docs/quality.md): the agency auditor records, corrects
 * and voids them; the surveyed partner reads its own; finance does not take part.
 */
@ApiTags('quality')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/surveys')
export class SurveysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('agency-auditor')
  async record(
    @Param('code') code: string,
    @Body() dto: RecordSurveyResultsDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { surveyId, partnerId } = dto;
    const input = { surveyId, partnerId, projectCode: code, ...surveyResultsOf(dto) };
    const r = await this.commands.execute<RecordSurveyResultsCommand, WriteResult>(
      new RecordSurveyResultsCommand(code, surveyId, input, ctx),
    );
    return createdAnswer(res, r, { code, collection: 'surveys', id: surveyId }, { surveyId });
  }

  @Get()
  @Roles('agency-auditor', 'partner-submitter', 'admin')
  list(
    @Param('code') code: string,
    @ValidQuery(SurveyListQueryDto) q: SurveyListQueryDto,
    @Ctx() ctx: RequestContext,
  ): Promise<SurveyListView> {
    return this.queries.execute(
      new ListSurveysQuery({
        ...figureQueryOf(code, ctx, figureParams(q)),
        partnerId: q.partnerId,
        respondentGroup: q.respondentGroup,
      }),
    );
  }

  @Get(':surveyId')
  @Roles('agency-auditor', 'partner-submitter', 'admin')
  async get(
    @Param('code') code: string,
    @Param('surveyId', UuidParam) surveyId: string,
    @ValidQuery(SurveyQueryDto) q: SurveyQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.queries.execute<GetSurveyQuery, SurveyView>(
      new GetSurveyQuery({ projectCode: code, actor: ctx.actor, asOf: asOfOf(q.asOf), surveyId }),
    );
    res.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Post(':surveyId/corrections')
  @Roles('agency-auditor')
  correct(
    @Param('code') code: string,
    @Param('surveyId', UuidParam) surveyId: string,
    @Body() dto: CorrectSurveyResultsDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = { ...surveyResultsOf(dto), reason: dto.reason };
    return commandAnswer(this.commands, res, new CorrectSurveyResultsCommand(code, surveyId, input, ctx), { surveyId });
  }

  @Post(':surveyId/void')
  @Roles('agency-auditor')
  void(
    @Param('code') code: string,
    @Param('surveyId', UuidParam) surveyId: string,
    @Body() dto: VoidSurveyResultsDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = new VoidSurveyResultsCommand(code, surveyId, { reason: dto.reason }, ctx);
    return commandAnswer(this.commands, res, command, { surveyId });
  }
}
