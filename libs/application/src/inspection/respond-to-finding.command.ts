import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { InspectionCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeInspection } from './inspection-command.support';

type RespondToFinding = Extract<InspectionCommand, { type: 'RespondToFinding' }>;

/** The inspected partner answers a finding, with references to its evidence. */
export class RespondToFindingCommand {
  constructor(
    readonly projectCode: string,
    readonly inspectionId: string,
    readonly input: Omit<RespondToFinding, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RespondToFindingCommand)
export class RespondToFindingHandler implements ICommandHandler<RespondToFindingCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RespondToFindingCommand): Promise<WriteResult> {
    return writeInspection(this.writer, c.context, c.projectCode, c.inspectionId, {
      type: 'RespondToFinding',
      ...c.input,
    });
  }
}
