import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ProjectDefinition } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeProject } from './project-command.support';

export class RegisterProjectCommand {
  constructor(
    readonly definition: ProjectDefinition,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RegisterProjectCommand)
export class RegisterProjectHandler implements ICommandHandler<RegisterProjectCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RegisterProjectCommand): Promise<WriteResult> {
    return writeProject(this.writer, c.context, c.definition.code, {
      type: 'RegisterProject',
      definition: c.definition,
    });
  }
}
