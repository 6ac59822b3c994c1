import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ProjectDefinition } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { ProjectHandler } from './project-command.support';

export class RegisterProjectCommand {
  constructor(
    readonly definition: ProjectDefinition,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RegisterProjectCommand)
export class RegisterProjectHandler
  extends ProjectHandler
  implements ICommandHandler<RegisterProjectCommand, WriteResult>
{
  execute(c: RegisterProjectCommand): Promise<WriteResult> {
    return this.run(c.context, c.definition.code, { type: 'RegisterProject', definition: c.definition });
  }
}
