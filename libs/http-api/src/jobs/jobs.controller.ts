import { Controller, Get, HttpCode, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { RequestContext } from '@ihl/application';
import type { JobView } from '@ihl/jobs';
import { Ctx, Roles } from '../auth/auth.guard';
import { UuidParam } from '../http/uuid-param.pipe';
import { NoQueryDto } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { JobQueue } from './job-queue.provider';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_COOKIE_SECONDS, QUEUE_BOARD_PATH } from './queue-board';

const jobPath = (id: string) => `/api/v1/jobs/${id}`;

/** Background jobs: started by a use case's route, followed here. */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/v1')
export class JobsController {
  constructor(private readonly jobs: JobQueue) {}

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
