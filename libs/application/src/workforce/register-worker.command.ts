import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WorkforceCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeWorkforce } from './workforce-command.support';

/** The partner registers a member of staff of a mobile team (a reference, never a name). */
export class RegisterWorkerCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly input: Omit<Extract<WorkforceCommand, { type: 'RegisterWorker' }>, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RegisterWorkerCommand)
export class RegisterWorkerHandler implements ICommandHandler<RegisterWorkerCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RegisterWorkerCommand): Promise<WriteResult> {
    return writeWorkforce(this.writer, c.context, c.projectCode, c.partnerId, { type: 'RegisterWorker', ...c.input });
  }
}
