import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { personStreamId, requireReason, type PersonEvent } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
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
    @Inject(StreamWriter) private readonly writer: StreamWriter,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  async execute(c: ErasePersonCommand): Promise<WriteResult & { pseudonym: string }> {
    requireReason(c.reason);
    const { pseudonym } = this.persons.identify(c.personalCode);
    // Key first: if the event append fails, a retry finds the key gone and still records it.
    this.persons.erase(pseudonym);
    const result = await this.writer.write<boolean, PersonEvent>(c.context, {
      streamId: personStreamId(pseudonym),
      fold: (events) => events.some((e) => e.type === 'PersonErased'),
      decide: (erased) => (erased ? [] : [{ type: 'PersonErased', data: { pseudonym, reason: c.reason } }]),
    });
    return { ...result, pseudonym };
  }
}
