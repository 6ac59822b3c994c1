import { Inject } from '@nestjs/common';
import type { ActivityEvent } from '@ihl/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import { resolveActivityInput, type ActivityInput } from '../person/resolve-recipient';
import { personProfileAppend } from '../person/record-person-profile';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { activityIdFor, recordActivityCommand, writeActivity } from './activity-command.support';
import { lateEntryAnswer, type LateEntryAnswer } from '../shared/late-entry-answer';

export class RecordActivityCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly input: ActivityInput,
    readonly context: RequestContext,
    /** Client-chosen record id; otherwise derived from the Idempotency-Key, otherwise new. */
    readonly activityId?: string,
  ) {}
}

export interface RecordActivityResult extends WriteResult, LateEntryAnswer {
  readonly activityId: string;
}

@CommandHandler(RecordActivityCommand)
export class RecordActivityHandler implements ICommandHandler<RecordActivityCommand, RecordActivityResult> {
  constructor(
    @Inject(StreamWriter) private readonly writer: StreamWriter,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  async execute(c: RecordActivityCommand): Promise<RecordActivityResult> {
    const activityId = await activityIdFor(this.writer, c.context, {
      projectCode: c.projectCode,
      partnerId: c.partnerId,
      given: c.activityId,
    });
    const resolved = resolveActivityInput(this.persons, c.input);
    // The creation event of the attempt that committed: the answer need not read it back.
    let created: ActivityEvent | undefined;
    // The profile commits with the record, decided once the record is: a refused record leaves no
    // trace of the person, an accepted one never lacks its profile.
    const result = await writeActivity(
      this.writer,
      c.context,
      c.projectCode,
      activityId,
      recordActivityCommand(c.projectCode, c.partnerId, activityId, resolved),
      (decided) => {
        created = decided[0];
        return personProfileAppend(this.writer, this.persons, c.context, resolved.person);
      },
    );
    const late = await lateEntryAnswer(this.writer, c.context, result.streamId, result.changed ? created : undefined);
    return { ...result, activityId, ...late };
  }
}
