/**
 * Profiles are kept per partner, so that a partner's figures show only what it sent itself. A
 * PersonProfileRecorded with a `partnerId` holds that partner's own profile (merged over its own
 * earlier one). Events written before profiles were kept apart have no `partnerId`: they hold the
 * profile merged across every partner so far, and were sent by the recording actor's partner.
 */
export interface ProfileSender {
  readonly partnerId: string;
  /** True for an event of the older kind: its profile is the merge of every partner's. */
  readonly mergedAcrossPartners: boolean;
}

/**
 * Who sent a recorded profile. `recordingActor` (the event's metadata `actor`) is asked only for an
 * older event; '' when that names no partner either.
 */
export function profileSender(data: { readonly partnerId?: string }, recordingActor: () => unknown): ProfileSender {
  if (data.partnerId !== undefined) return { partnerId: data.partnerId, mergedAcrossPartners: false };
  const actor = recordingActor();
  const partnerId =
    actor && typeof actor === 'object' && 'partnerId' in actor && typeof actor.partnerId === 'string'
      ? actor.partnerId
      : '';
  return { partnerId, mergedAcrossPartners: true };
}

/**
 * A person's profiles after one recorded profile: the project-wide one (every event merged in log
 * order, so each attribute is the one sent last, whoever sent it) and the sender's own. For an
 * older event, merged across partners, the sender is credited only with the attributes it changed:
 * those can only have come from it. What it sent unchanged stays as it sent it before, or unknown,
 * so another partner's values never become the sender's.
 */
export function profilesAfter<P extends object>(
  before: { readonly merged: P | null; readonly own: P | null },
  recorded: P,
  sender: Pick<ProfileSender, 'mergedAcrossPartners'>,
): { readonly merged: P; readonly own: P } {
  const merged = { ...before.merged, ...recorded } as P;
  if (!sender.mergedAcrossPartners) return { merged, own: recorded };
  const earlier = (before.merged ?? {}) as Record<string, unknown>;
  const changed = Object.entries(recorded).filter(([k, v]) => earlier[k] !== v);
  return { merged, own: { ...before.own, ...Object.fromEntries(changed) } as P };
}
