import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { InspectionCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeInspection } from './inspection-command.support';

type RecordFinding = Extract<InspectionCommand, { type: 'RecordFinding' }>;

/** The agency auditor records a finding of an inspection (standard, severity, due date). */
export class RecordFindingCommand {
  constructor(
    readonly projectCode: string,
    readonly inspectionId: string,
    readonly input: Omit<RecordFinding, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RecordFindingCommand)
export class RecordFindingHandler implements ICommandHandler<RecordFindingCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RecordFindingCommand): Promise<WriteResult> {
    return writeInspection(this.writer, c.context, c.projectCode, c.inspectionId, {
      type: 'RecordFinding',
      ...c.input,
    });
  }
}
