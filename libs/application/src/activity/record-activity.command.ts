import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { canonicalJson, personStreamId, type PersonEvent, type PersonProfile } from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import { resolveActivityInput, type ActivityInput } from '../person/resolve-recipient';
import { deterministicId } from '../shared/deterministic-id';
import { toDomainEvent } from '../shared/event-mapping';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import type { RequestContext } from '../shared/request-context';
import { executeOnStream } from '../shared/stream-command';
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
      c.activityId ?? (key ? deterministicId(`activity:${c.projectCode}:${c.partnerId}`, key) : this.ids.newId());
    const resolved = resolveActivityInput(this.persons, c.input);
    const result = await runActivityCommand(deps, c.context, c.projectCode, activityId, {
      type: 'RecordActivity',
      activityId,
      projectCode: c.projectCode,
      partnerId: c.partnerId,
      fields: resolved.fields,
      ...(resolved.recipientAgeYears !== undefined ? { recipientAgeYears: resolved.recipientAgeYears } : {}),
    });
    // After the record is accepted, so a refused record leaves no trace of the person either;
    // on a retry it is decided again and writes nothing if unchanged.
    const p = resolved.person;
    if (p?.profile && Object.keys(p.profile).length > 0)
      await this.recordProfile(c.context, p.pseudonym, p.keyVersion, p.profile);
    return { ...result, activityId };
  }

  /** The profile lives sealed in the person's own stream; an unchanged profile writes nothing. */
  async recordProfile(
    ctx: RequestContext,
    pseudonym: string,
    keyVersion: number,
    profile: PersonProfile,
  ): Promise<void> {
    const { expectedRevision: _ifMatchIsForTheActivity, idempotencyKey: _keyIsForTheActivity, ...personCtx } = ctx;
    const deps = { store: this.store, clock: this.clock, ids: this.ids };
    await executeOnStream<{ sealed: string | null; erased: boolean }, PersonEvent>(deps, personCtx, {
      streamId: personStreamId(pseudonym),
      toDomain: toDomainEvent<PersonEvent>,
      fold: (events) =>
        events.reduce<{ sealed: string | null; erased: boolean }>(
          (st, e) => (e.type === 'PersonErased' ? { sealed: null, erased: true } : { ...st, sealed: e.data.sealed }),
          { sealed: null, erased: false },
        ),
      decide: ({ sealed, erased }) => {
        // An erased person's attributes are never collected again.
        if (erased) return [];
        const current = sealed ? this.persons.open(pseudonym, sealed) : null;
        if (current && canonicalJson(current) === canonicalJson(profile)) return [];
        return [
          {
            type: 'PersonProfileRecorded',
            data: { pseudonym, keyVersion, sealed: this.persons.seal(pseudonym, profile) },
          },
        ];
      },
    });
  }
}
