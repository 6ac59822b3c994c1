import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeProject } from './project-command.support';

/** Finance allocates part of the envelope to a partner × budget category. */
export class SetAllocationCommand {
  constructor(
    readonly code: string,
    readonly partnerId: string,
    readonly categoryId: string,
    readonly amountCents: number,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(SetAllocationCommand)
export class SetAllocationHandler implements ICommandHandler<SetAllocationCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: SetAllocationCommand): Promise<WriteResult> {
    return writeProject(this.writer, c.context, c.code, {
      type: 'SetAllocation',
      partnerId: c.partnerId,
      categoryId: c.categoryId,
      amountCents: c.amountCents,
    });
  }
}
