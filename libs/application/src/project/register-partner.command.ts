import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Partner } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ProjectHandler } from './project-command.support';

/** An administrator adds a partner municipality to the project. */
export class RegisterPartnerCommand {
  constructor(
    readonly code: string,
    readonly partner: Partner,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RegisterPartnerCommand)
export class RegisterPartnerHandler
  extends ProjectHandler
  implements ICommandHandler<RegisterPartnerCommand, WriteResult>
{
  execute(c: RegisterPartnerCommand): Promise<WriteResult> {
    return this.run(c.context, c.code, { type: 'RegisterPartner', partner: c.partner });
  }
}
