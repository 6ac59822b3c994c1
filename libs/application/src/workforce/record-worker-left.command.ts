import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WorkforceCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeWorkforce } from './workforce-command.support';

/** The partner records the day a worker left. */
export class RecordWorkerLeftCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly input: Omit<Extract<WorkforceCommand, { type: 'RecordWorkerLeft' }>, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RecordWorkerLeftCommand)
export class RecordWorkerLeftHandler implements ICommandHandler<RecordWorkerLeftCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RecordWorkerLeftCommand): Promise<WriteResult> {
    return writeWorkforce(this.writer, c.context, c.projectCode, c.partnerId, { type: 'RecordWorkerLeft', ...c.input });
  }
}
