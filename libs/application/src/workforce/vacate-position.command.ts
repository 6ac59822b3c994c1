import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WorkforceCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeWorkforce } from './workforce-command.support';

/** The partner records a position of a team that became vacant. */
export class VacatePositionCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly input: Omit<Extract<WorkforceCommand, { type: 'VacatePosition' }>, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(VacatePositionCommand)
export class VacatePositionHandler implements ICommandHandler<VacatePositionCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: VacatePositionCommand): Promise<WriteResult> {
    return writeWorkforce(this.writer, c.context, c.projectCode, c.partnerId, { type: 'VacatePosition', ...c.input });
  }
}
