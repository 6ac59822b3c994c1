import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { personStreamId, requireReason, type PersonEvent } from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { toDomainEvent } from '../shared/event-mapping';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import type { RequestContext } from '../shared/request-context';
import { executeOnStream } from '../shared/stream-command';
import type { WriteResult } from '../shared/write-result';
import { PERSON_REGISTRY, type PersonRegistry } from './person-registry.port';

/**
 * A data-subject erasure: the person's key is destroyed, so their sealed profile can never be read
 * again; their pseudonymous services still count. History records that it happened, not who.
 */
export class ErasePersonCommand {
  constructor(
    readonly personalCode: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(ErasePersonCommand)
export class ErasePersonHandler implements ICommandHandler<ErasePersonCommand, WriteResult & { pseudonym: string }> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  async execute(c: ErasePersonCommand): Promise<WriteResult & { pseudonym: string }> {
    requireReason(c.reason);
    const { pseudonym } = this.persons.identify(c.personalCode);
    // Key first: if the event append fails, a retry finds the key gone and still records it.
    this.persons.erase(pseudonym);
    const result = await executeOnStream<boolean, PersonEvent>(
      { store: this.store, clock: this.clock, ids: this.ids },
      c.context,
      {
        streamId: personStreamId(pseudonym),
        toDomain: toDomainEvent<PersonEvent>,
        fold: (events) => events.some((e) => e.type === 'PersonErased'),
        decide: (erased) => (erased ? [] : [{ type: 'PersonErased', data: { pseudonym, reason: c.reason } }]),
      },
    );
    return { ...result, pseudonym };
  }
}
