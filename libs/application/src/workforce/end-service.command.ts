import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainValidationError, type ServiceEndReason } from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { READ_MODELS, type ReadModelsPort } from '../as-of/as-of';
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

/** How long an ending waits for the read models to hold the writes before it (as a claim does). */
const CATCH_UP_MS = 10_000;

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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelsPort,
  ) {}

  async execute(c: EndServiceCommand): Promise<WriteResult> {
    const { personalCode, ...rest } = c.input;
    const person = this.persons.identify(personalCode);
    await this.mustHaveServed(c, person.pseudonym);
    const recipient = { pseudonym: person.pseudonym, keyVersion: person.keyVersion };
    return writeWorkforce(this.writer, c.context, c.projectCode, c.partnerId, {
      type: 'EndService',
      recipient,
      ...rest,
    });
  }

  /**
   * Only a person the partner served can have a service that ends: a service record of theirs, not
   * voided, dated on or before the ending. The records read model answers, once it holds every
   * write so far (a service recorded just before its ending counts).
   */
  private async mustHaveServed(c: EndServiceCommand, pseudonym: string): Promise<void> {
    await this.readModels.waitFor(await this.store.headPosition(), CATCH_UP_MS);
    const served = this.readModels.consistently(() =>
      this.readModels.listRecords(
        {
          projectCode: c.projectCode,
          records: 'activities',
          partnerId: c.partnerId,
          kind: 'service-delivered',
          to: c.input.endedOn,
          person: pseudonym,
        },
        'date',
        null,
        1,
        [c.partnerId],
      ),
    );
    if (served.records.length > 0) return;
    throw new DomainValidationError([
      {
        field: 'recipient.personalCode',
        rule: 'served-by-partner',
        message: `must be a person this partner has served (a service record on or before ${c.input.endedOn})`,
      },
    ]);
  }
}
