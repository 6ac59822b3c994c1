import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ServiceEndReason } from '@ihl/domain';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeWorkforce } from './workforce-command.support';

export interface EndServiceInput {
  /** Pseudonymized on arrival, like a service record's recipient; never stored or logged. */
  readonly personalCode: string;
  readonly endedOn: string;
  readonly reason: ServiceEndReason;
  readonly note?: string;
}

/** The partner records that a person's service ended, and why. */
export class EndServiceCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly input: EndServiceInput,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(EndServiceCommand)
export class EndServiceHandler implements ICommandHandler<EndServiceCommand, WriteResult> {
  constructor(
    @Inject(StreamWriter) private readonly writer: StreamWriter,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  execute(c: EndServiceCommand): Promise<WriteResult> {
    const { personalCode, ...rest } = c.input;
    const person = this.persons.identify(personalCode);
    const recipient = { pseudonym: person.pseudonym, keyVersion: person.keyVersion };
    return writeWorkforce(this.writer, c.context, c.projectCode, c.partnerId, {
      type: 'EndService',
      recipient,
      ...rest,
    });
  }
}
