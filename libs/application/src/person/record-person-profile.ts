import type { StoredEvent, StreamAppend } from '@ihl/event-store';
import {
  canonicalJson,
  personStreamId,
  profileSender,
  profilesAfter,
  type PersonEvent,
  type PersonProfile,
} from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { StreamWriter } from '../shared/stream-writer';
import type { PersonRegistry } from './person-registry.port';

/**
 * The profile lives sealed in the person's own stream, one per partner: what a partner sends is
 * merged over what that partner sent before (a later record without a sex does not forget it), never
 * over another partner's, and an unchanged profile writes nothing. So whether anything is written,
 * and what, depends on the partner's own records only: the answer tells it nothing of other partners.
 * Returned as an append that commits with the record that names the person (StreamSpec's
 * `alongside`), at the person stream's revision read here: decided once the record is (a refused
 * record leaves no trace of the person; a correction awaiting the agency counts as accepted: the
 * profile describes the person, not the record), and never a record without it. Null: nothing to write.
 */
export async function personProfileAppend(
  writer: StreamWriter,
  persons: PersonRegistry,
  ctx: RequestContext,
  person: RecipientProfile | undefined,
): Promise<StreamAppend | null> {
  const partnerId = ctx.actor.partnerId;
  if (!person?.profile || Object.keys(person.profile).length === 0 || !partnerId) return null;
  const streamId = personStreamId(person.pseudonym);
  const { stored, events } = await writer.read<PersonEvent>(streamId);
  const decided = decidePersonProfile(persons, partnerId, person as Required<RecipientProfile>, events, stored);
  if (decided.length === 0) return null;
  const { expectedRevision: _ifMatchIsForTheActivity, idempotencyKey: _keyIsForTheActivity, ...personCtx } = ctx;
  const last = stored[stored.length - 1];
  return writer.toAppend(personCtx, { streamId, expectedRevision: last ? last.revision : 'no_stream', decided });
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
): PersonEvent[] {
  const { pseudonym, keyVersion, profile } = person;
  // An erased person's attributes are never collected again.
  if (events.some((e) => e.type === 'PersonErased')) return [];
  const current = ownProfile(events, stored, partnerId, (sealed) => persons.open(pseudonym, sealed))?.profile ?? null;
  const merged = { ...current, ...profile };
  if (current && canonicalJson(current) === canonicalJson(merged)) return [];
  return [
    {
      type: 'PersonProfileRecorded',
      data: { pseudonym, keyVersion, partnerId, sealed: persons.seal(pseudonym, merged) },
    },
  ];
}

/**
 * What `partnerId` itself sent of the person's profile;
 * null when it sent nothing yet. Its latest event says it, unless that event is of the older kind
 * (merged across partners): then the stream is folded from the start to credit the partner only with
 * what it changed (see profilesAfter).
 */
function ownProfile(
  events: readonly PersonEvent[],
  stored: readonly StoredEvent[],
  partnerId: string,
  open: (sealed: string) => PersonProfile | null,
): { profile: PersonProfile | null } | null {
  const senders = events.map((e, i) =>
    e.type === 'PersonProfileRecorded' ? profileSender(e.data, () => stored[i]?.metadata.actor) : null,
  );
  let latest = senders.length - 1;
  while (latest >= 0 && senders[latest]?.partnerId !== partnerId) latest--;
  if (latest < 0) return null;
  const latestEvent = events[latest] as Extract<PersonEvent, { type: 'PersonProfileRecorded' }>;
  if (!senders[latest]!.mergedAcrossPartners) return { profile: open(latestEvent.data.sealed) };
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
  return { profile: own };
}
