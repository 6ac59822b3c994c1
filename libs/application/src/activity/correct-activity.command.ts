import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import { personProfileAppend } from '../person/record-person-profile';
import { resolveActivityInput, type ActivityInput } from '../person/resolve-recipient';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeActivity } from './activity-command.support';

/** New values for a record (same kind) with a reason; in a locked period it becomes a restatement. */
export class CorrectActivityCommand {
  constructor(
    readonly projectCode: string,
    readonly activityId: string,
    readonly input: ActivityInput,
    readonly reason: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(CorrectActivityCommand)
export class CorrectActivityHandler implements ICommandHandler<CorrectActivityCommand, WriteResult> {
  constructor(
    @Inject(StreamWriter) private readonly writer: StreamWriter,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  async execute(c: CorrectActivityCommand): Promise<WriteResult> {
    const resolved = resolveActivityInput(this.persons, c.input);
    // A corrected recipient may come with a profile, as on the first record (also when the
    // correction awaits the agency: the profile describes the person, not the service).
    return writeActivity(
      this.writer,
      c.context,
      c.projectCode,
      c.activityId,
      {
        type: 'CorrectActivity',
        fields: resolved.fields,
        reason: c.reason,
        ...(resolved.recipientAgeYears !== undefined ? { recipientAgeYears: resolved.recipientAgeYears } : {}),
      },
      () => personProfileAppend(this.writer, this.persons, c.context, resolved.person),
    );
  }
}
