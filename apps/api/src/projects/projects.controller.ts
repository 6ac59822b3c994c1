import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  GetProjectQuery,
  RegisterProjectCommand,
  type ProjectView,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import { formatMoney, parseProjectDefinition } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { RegisterProjectDto } from './register-project.dto';

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
  async get(@Param('code') code: string, @Res({ passthrough: true }) res: Response) {
    const view = await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(code));
    res.setHeader('ETag', `"${view.revision}"`);
    const { envelopeCents, ...rest } = view.definition;
    return {
      ...rest,
      envelope: formatMoney(envelopeCents),
      revision: view.revision,
      position: view.position,
      registeredAt: view.registeredAt,
    };
  }
}
