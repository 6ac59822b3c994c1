import { Controller, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { RequestContext } from '@ihl/application';
import type { JobView } from '@ihl/jobs';
import { Ctx, Roles } from '../auth/auth.guard';
import { UuidParam } from '../http/uuid-param.pipe';
import { NoQueryDto } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { JobQueue } from './job-queue.provider';

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

function visibleTo(job: JobView, ctx: RequestContext): boolean {
  if (ctx.actor.role === 'admin') return true;
  const by = job.requestedBy;
  return by.subject === ctx.actor.subject && by.role === ctx.actor.role && by.partnerId === ctx.actor.partnerId;
}
