import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Request, Response } from 'express';
import { GetProjectQuery, type RequestContext } from '@ihl/application';
import type { JobView } from '@ihl/jobs';
import { Ctx, Roles } from '../auth/auth.guard';
import { UuidParam } from '../http/uuid-param.pipe';
import { NoQueryDto } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { JobQueue } from './job-queue.provider';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_COOKIE_SECONDS, QUEUE_BOARD_PATH } from './queue-board';

const jobPath = (id: string) => `/api/v1/jobs/${id}`;

export class ChecksJobDto {
  @ApiPropertyOptional({ description: 'one project; every registered project unless given' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]{0,39}$/, { message: 'projectCode must be 1-40 letters, digits, dots or dashes' })
  projectCode?: string;
}

/** Background jobs: started by a use case's route, followed here. */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/v1')
export class JobsController {
  constructor(
    private readonly jobs: JobQueue,
    private readonly queries: QueryBus,
  ) {}

  /** Rebuilds the read models in the worker, as `ledger rebuild` does; redoing it is harmless. */
  @Post('admin/jobs/rebuild')
  @HttpCode(202)
  @Roles('admin')
  async rebuild(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const { subject, role, partnerId } = ctx.actor;
    const id = await this.jobs.use(res, (p) =>
      p.enqueue('rebuild-read-models', {}, { subject, role, ...(partnerId ? { partnerId } : {}) }),
    );
    res.setHeader('Location', jobPath(id));
    return { id, name: 'rebuild-read-models', state: 'waiting', location: jobPath(id) };
  }

  /**
   * Runs the scheduled checks now (the worker also runs them on its schedule): raises and resolves
   * alerts; redoing it raises nothing twice.
   */
  @Post('admin/jobs/checks')
  @HttpCode(202)
  @Roles('admin')
  async checks(@Body() body: ChecksJobDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    this.jobs.available(res);
    // An unknown project is refused here (404), not in the worker.
    if (body.projectCode !== undefined) await this.queries.execute(new GetProjectQuery(body.projectCode));
    const { subject, role, partnerId } = ctx.actor;
    const payload = body.projectCode === undefined ? {} : { projectCode: body.projectCode };
    const id = await this.jobs.use(res, (p) =>
      p.enqueue('run-checks', payload, { subject, role, ...(partnerId ? { partnerId } : {}) }),
    );
    res.setHeader('Location', jobPath(id));
    return { id, name: 'run-checks', state: 'waiting', location: jobPath(id) };
  }

  /**
   * For a browser: the administrator's verified token goes into a short-lived cookie the board's
   * pages send back (HttpOnly, SameSite=Strict, only for the board's path); then open the board.
   */
  @Post('admin/queues/session')
  @HttpCode(204)
  @Roles('admin')
  boardSession(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.setHeader(
      'Set-Cookie',
      `${QUEUE_BOARD_COOKIE}=${token}; Max-Age=${QUEUE_BOARD_COOKIE_SECONDS}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict${req.secure ? '; Secure' : ''}`,
    );
    res.setHeader('Location', `${QUEUE_BOARD_PATH}/`);
  }

  /** An administrator sees every job; anyone else only the jobs they started (others are 404). */
  @Get('jobs/:id')
  @Roles('admin', 'agency-auditor', 'finance-officer', 'partner-submitter')
  async get(
    @Param('id', UuidParam) id: string,
    @ValidQuery(NoQueryDto) _query: NoQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const job = await this.jobs.use(res, (p) => p.find(id));
    if (!job || !visibleTo(job, ctx)) throw new NotFoundException(`no job ${id}`);
    const { requestedBy, ...rest } = job;
    return { ...rest, requestedBy: requestedBy.subject };
  }
}

export function visibleTo(job: JobView, ctx: RequestContext): boolean {
  if (ctx.actor.role === 'admin') return true;
  const by = job.requestedBy;
  return by.subject === ctx.actor.subject && by.role === ctx.actor.role && by.partnerId === ctx.actor.partnerId;
}
