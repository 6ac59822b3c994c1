import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WorkforceCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeWorkforce } from './workforce-command.support';

/** The partner records who filled a vacant position, and when. */
export class FillPositionCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly input: Omit<Extract<WorkforceCommand, { type: 'FillPosition' }>, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(FillPositionCommand)
export class FillPositionHandler implements ICommandHandler<FillPositionCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: FillPositionCommand): Promise<WriteResult> {
    return writeWorkforce(this.writer, c.context, c.projectCode, c.partnerId, { type: 'FillPosition', ...c.input });
  }
}
