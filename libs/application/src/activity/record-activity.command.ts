import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { activityStreamId } from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import { resolveActivityInput, type ActivityInput } from '../person/resolve-recipient';
import { personProfileAppend } from '../person/record-person-profile';
import { keyedRecordId } from '../shared/deterministic-id';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { runActivityCommand } from './activity-command.support';

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

export interface RecordActivityResult extends WriteResult {
  readonly activityId: string;
}

@CommandHandler(RecordActivityCommand)
export class RecordActivityHandler implements ICommandHandler<RecordActivityCommand, RecordActivityResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  async execute(c: RecordActivityCommand): Promise<RecordActivityResult> {
    const deps = { store: this.store, clock: this.clock, ids: this.ids };
    const key = c.context.idempotencyKey;
    const activityId =
      c.activityId ??
      (key
        ? await keyedRecordId(this.store, {
            scope: `activity:${c.projectCode}:${c.partnerId}`,
            derivedFrom: key,
            idempotencyKey: key,
            streamOf: activityStreamId,
          })
        : this.ids.newId());
    const resolved = resolveActivityInput(this.persons, c.input);
    // The profile commits with the record, decided once the record is: a refused record leaves no
    // trace of the person, an accepted one never lacks its profile.
    const result = await runActivityCommand(
      deps,
      c.context,
      c.projectCode,
      activityId,
      {
        type: 'RecordActivity',
        activityId,
        projectCode: c.projectCode,
        partnerId: c.partnerId,
        fields: resolved.fields,
        ...(resolved.recipientAgeYears !== undefined ? { recipientAgeYears: resolved.recipientAgeYears } : {}),
      },
      () => personProfileAppend(deps, this.persons, c.context, resolved.person),
    );
    return { ...result, activityId };
  }
}
