import type { EventStore, StoredEvent, StreamAppend } from '@ihl/event-store';
import {
  canonicalJson,
  personStreamId,
  profileSender,
  profilesAfter,
  type PersonEvent,
  type PersonProfile,
} from '@ihl/domain';
import { toDomainEvent } from '../shared/event-mapping';
import type { Clock, IdGenerator } from '../shared/ports';
import type { RequestContext } from '../shared/request-context';
import { executeOnStream, newEvents } from '../shared/stream-command';
import type { PersonRegistry } from './person-registry.port';

/**
 * The profile lives sealed in the person's own stream, one per partner: what a partner sends is
 * merged over what that partner sent before (a later record without a sex does not forget it), never
 * over another partner's, and an unchanged profile writes nothing. So whether anything is written,
 * and what, depends on the partner's own records only: the answer tells it nothing of other partners.
 * Called after the record that names the person was accepted, so a refused record leaves no trace of
 * them (a correction awaiting the agency counts as accepted: the profile describes the person, not
 * the record).
 */
export async function recordPersonProfile(
  deps: { store: EventStore; clock: Clock; ids: IdGenerator },
  persons: PersonRegistry,
  ctx: RequestContext,
  person: RecipientProfile | undefined,
  /** The position the record's write answered with. */
  recordAt: number,
): Promise<number> {
  // Nothing to record (no recipient, or nothing known of them): the write's position stands.
  if (!person?.profile || Object.keys(person.profile).length === 0) return recordAt;
  // Only a partner records a recipient (its own records); without one there is no owner to file it under.
  const partnerId = ctx.actor.partnerId;
  if (!partnerId) return recordAt;
  const { expectedRevision: _ifMatchIsForTheActivity, idempotencyKey: _keyIsForTheActivity, ...personCtx } = ctx;
  // Where the partner's own latest profile stands: the answer when nothing is written.
  let ownAt = 0;
  const written = await executeOnStream<readonly PersonEvent[], PersonEvent>(deps, personCtx, {
    streamId: personStreamId(person.pseudonym),
    toDomain: toDomainEvent<PersonEvent>,
    fold: (events) => events,
    decide: (events, stored) => {
      const d = decidePersonProfile(persons, partnerId, person as Required<RecipientProfile>, events, stored);
      ownAt = d.ownAt;
      return d.events;
    },
  });
  // The write's answer takes the later position, so a read at it sees the profile too. When nothing
  // was written, the partner's own latest profile (not the stream's last event, which may be
  // another partner's): the answer depends on the partner's own records only.
  return Math.max(recordAt, written.changed ? written.position : ownAt);
}

/**
 * The profile as an append that commits with the record that names the person (executeOnStream's
 * `alongside`), at the person stream's revision read here: a record is never written without the
 * profile sent with it. Null when there is nothing to write.
 */
export async function personProfileAppend(
  deps: { store: EventStore; clock: Clock; ids: IdGenerator },
  persons: PersonRegistry,
  ctx: RequestContext,
  person: RecipientProfile | undefined,
): Promise<StreamAppend | null> {
  const partnerId = ctx.actor.partnerId;
  if (!person?.profile || Object.keys(person.profile).length === 0 || !partnerId) return null;
  const streamId = personStreamId(person.pseudonym);
  const stored = await deps.store.readStream(streamId);
  const events = stored.map((e) => toDomainEvent<PersonEvent>(e));
  const decided = decidePersonProfile(persons, partnerId, person as Required<RecipientProfile>, events, stored).events;
  if (decided.length === 0) return null;
  const { expectedRevision: _ifMatchIsForTheActivity, idempotencyKey: _keyIsForTheActivity, ...personCtx } = ctx;
  const last = stored[stored.length - 1];
  return {
    streamId,
    expectedRevision: last ? last.revision : 'no_stream',
    events: newEvents(deps, personCtx, decided),
  };
}

export interface RecipientProfile {
  readonly pseudonym: string;
  readonly keyVersion: number;
  readonly profile?: PersonProfile;
}

function decidePersonProfile(
  persons: PersonRegistry,
  partnerId: string,
  person: Required<RecipientProfile>,
  events: readonly PersonEvent[],
  stored: readonly StoredEvent[],
): { events: PersonEvent[]; ownAt: number } {
  const { pseudonym, keyVersion, profile } = person;
  const own = ownProfile(events, stored, partnerId, (sealed) => persons.open(pseudonym, sealed));
  const ownAt = own?.position ?? 0;
  // An erased person's attributes are never collected again.
  if (events.some((e) => e.type === 'PersonErased')) return { events: [], ownAt };
  const current = own?.profile ?? null;
  const merged = { ...current, ...profile };
  if (current && canonicalJson(current) === canonicalJson(merged)) return { events: [], ownAt };
  return {
    events: [
      {
        type: 'PersonProfileRecorded',
        data: { pseudonym, keyVersion, partnerId, sealed: persons.seal(pseudonym, merged) },
      },
    ],
    ownAt,
  };
}

/**
 * What `partnerId` itself sent of the person's profile, and where its latest profile event stands;
 * null when it sent nothing yet. Its latest event says it, unless that event is of the older kind
 * (merged across partners): then the stream is folded from the start to credit the partner only with
 * what it changed (see profilesAfter).
 */
function ownProfile(
  events: readonly PersonEvent[],
  stored: readonly StoredEvent[],
  partnerId: string,
  open: (sealed: string) => PersonProfile | null,
): { profile: PersonProfile | null; position: number } | null {
  const senders = events.map((e, i) =>
    e.type === 'PersonProfileRecorded' ? profileSender(e.data, () => stored[i]?.metadata.actor) : null,
  );
  let latest = senders.length - 1;
  while (latest >= 0 && senders[latest]?.partnerId !== partnerId) latest--;
  if (latest < 0) return null;
  const latestEvent = events[latest] as Extract<PersonEvent, { type: 'PersonProfileRecorded' }>;
  const position = stored[latest]!.position;
  if (!senders[latest]!.mergedAcrossPartners) return { profile: open(latestEvent.data.sealed), position };
  let merged: PersonProfile | null = null;
  let own: PersonProfile | null = null;
  for (let i = 0; i <= latest; i++) {
    const e = events[i]!;
    const sender = senders[i];
    if (e.type !== 'PersonProfileRecorded' || !sender) continue;
    const recorded = open(e.data.sealed);
    if (!recorded) continue;
    const mine = sender.partnerId === partnerId;
    const after: { merged: PersonProfile; own: PersonProfile } = profilesAfter(
      { merged, own: mine ? own : null },
      recorded,
      sender,
    );
    merged = after.merged;
    if (mine) own = after.own;
  }
  return { profile: own, position };
}
