import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { InspectionCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeInspection } from './inspection-command.support';

type ResolveFinding = Extract<InspectionCommand, { type: 'ResolveFinding' }>;

/** The agency auditor closes a finding as resolved. */
export class ResolveFindingCommand {
  constructor(
    readonly projectCode: string,
    readonly inspectionId: string,
    readonly input: Omit<ResolveFinding, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(ResolveFindingCommand)
export class ResolveFindingHandler implements ICommandHandler<ResolveFindingCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: ResolveFindingCommand): Promise<WriteResult> {
    return writeInspection(this.writer, c.context, c.projectCode, c.inspectionId, {
      type: 'ResolveFinding',
      ...c.input,
    });
  }
}
