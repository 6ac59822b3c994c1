import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { InspectionCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeInspection } from './inspection-command.support';

type RecordInspection = Extract<InspectionCommand, { type: 'RecordInspection' }>;

/** The agency auditor records an inspection of a partner's service. */
export class RecordInspectionCommand {
  constructor(
    readonly inspection: Omit<RecordInspection, 'type'>,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RecordInspectionCommand)
export class RecordInspectionHandler implements ICommandHandler<RecordInspectionCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RecordInspectionCommand): Promise<WriteResult> {
    const { projectCode, inspectionId } = c.inspection;
    return writeInspection(this.writer, c.context, projectCode, inspectionId, {
      type: 'RecordInspection',
      ...c.inspection,
    });
  }
}
