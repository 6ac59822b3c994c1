import type { EventStore } from '@ihl/event-store';
import { canonicalJson, personStreamId, type PersonEvent, type PersonProfile } from '@ihl/domain';
import { toDomainEvent } from '../shared/event-mapping';
import type { Clock, IdGenerator } from '../shared/ports';
import type { RequestContext } from '../shared/request-context';
import { executeOnStream } from '../shared/stream-command';
import type { PersonRegistry } from './person-registry.port';

/**
 * The profile lives sealed in the person's own stream. What is sent is merged over what is known (a
 * later record without a sex does not forget it); an unchanged profile writes nothing. Called after
 * the record that names the person was accepted, so a refused record leaves no trace of them (a
 * correction awaiting the agency counts as accepted: the profile describes the person, not the record).
 */
export async function recordPersonProfile(
  deps: { store: EventStore; clock: Clock; ids: IdGenerator },
  persons: PersonRegistry,
  ctx: RequestContext,
  person: { pseudonym: string; keyVersion: number; profile?: PersonProfile } | undefined,
  /** The position the record's write answered with. */
  recordAt: number,
): Promise<number> {
  // Nothing to record (no recipient, or nothing known of them): the write's position stands.
  if (!person?.profile || Object.keys(person.profile).length === 0) return recordAt;
  const { pseudonym, keyVersion } = person;
  const profile = person.profile;
  const { expectedRevision: _ifMatchIsForTheActivity, idempotencyKey: _keyIsForTheActivity, ...personCtx } = ctx;
  const written = await executeOnStream<{ sealed: string | null; erased: boolean }, PersonEvent>(deps, personCtx, {
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
      const current = sealed ? persons.open(pseudonym, sealed) : null;
      const merged = { ...current, ...profile };
      if (current && canonicalJson(current) === canonicalJson(merged)) return [];
      return [
        { type: 'PersonProfileRecorded', data: { pseudonym, keyVersion, sealed: persons.seal(pseudonym, merged) } },
      ];
    },
  });
  // The write's answer takes the later position, so a read at it sees the profile too.
  return Math.max(recordAt, written.position);
}
