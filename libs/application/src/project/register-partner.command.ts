import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Partner } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeProject } from './project-command.support';

/** An administrator adds a partner municipality to the project. */
export class RegisterPartnerCommand {
  constructor(
    readonly code: string,
    readonly partner: Partner,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RegisterPartnerCommand)
export class RegisterPartnerHandler implements ICommandHandler<RegisterPartnerCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RegisterPartnerCommand): Promise<WriteResult> {
    return writeProject(this.writer, c.context, c.code, { type: 'RegisterPartner', partner: c.partner });
  }
}
