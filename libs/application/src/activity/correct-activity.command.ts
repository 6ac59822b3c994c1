import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import { personProfileAppend } from '../person/record-person-profile';
import { resolveActivityInput, type ActivityInput } from '../person/resolve-recipient';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { runActivityCommand } from './activity-command.support';

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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  async execute(c: CorrectActivityCommand): Promise<WriteResult> {
    const resolved = resolveActivityInput(this.persons, c.input);
    const deps = { store: this.store, clock: this.clock, ids: this.ids };
    // A corrected recipient may come with a profile, as on the first record (also when the
    // correction awaits the agency: the profile describes the person, not the service).
    return runActivityCommand(
      deps,
      c.context,
      c.projectCode,
      c.activityId,
      {
        type: 'CorrectActivity',
        fields: resolved.fields,
        reason: c.reason,
        ...(resolved.recipientAgeYears !== undefined ? { recipientAgeYears: resolved.recipientAgeYears } : {}),
      },
      () => personProfileAppend(deps, this.persons, c.context, resolved.person),
    );
  }
}
