import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { InspectionCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeInspection } from './inspection-command.support';

type EscalateFinding = Extract<InspectionCommand, { type: 'EscalateFinding' }>;

/** The agency auditor takes an unresolved finding further, saying why. */
export class EscalateFindingCommand {
  constructor(
    readonly projectCode: string,
    readonly inspectionId: string,
    readonly input: Omit<EscalateFinding, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(EscalateFindingCommand)
export class EscalateFindingHandler implements ICommandHandler<EscalateFindingCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: EscalateFindingCommand): Promise<WriteResult> {
    return writeInspection(this.writer, c.context, c.projectCode, c.inspectionId, {
      type: 'EscalateFinding',
      ...c.input,
    });
  }
}
