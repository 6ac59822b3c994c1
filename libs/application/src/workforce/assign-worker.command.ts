import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WorkforceCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeWorkforce } from './workforce-command.support';

/** The partner moves a worker to another of its teams from a day on. */
export class AssignWorkerCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly input: Omit<Extract<WorkforceCommand, { type: 'AssignWorker' }>, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(AssignWorkerCommand)
export class AssignWorkerHandler implements ICommandHandler<AssignWorkerCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: AssignWorkerCommand): Promise<WriteResult> {
    return writeWorkforce(this.writer, c.context, c.projectCode, c.partnerId, { type: 'AssignWorker', ...c.input });
  }
}
