import type { ActivityInput } from '@ihl/application';

/** The same record with one value put right (a duration, a head count), as partners correct them. */
export function correctedInput(input: ActivityInput): ActivityInput {
  switch (input.kind) {
    case 'service-delivered': {
      // The profile was sent with the first record; a correction carries the person only.
      const { profile: _sent, ...recipient } = input.recipient;
      return { ...input, recipient, durationMinutes: input.durationMinutes > 30 ? input.durationMinutes - 15 : 45 };
    }
    case 'caregiver-consultation':
      return { ...input, familyMembers: input.familyMembers + 1 };
    case 'psychological-support':
      return { ...input, durationMinutes: input.durationMinutes + 15 };
    case 'training-held':
      return { ...input, participants: input.participants + 1 };
    case 'equipment-procured':
      return { ...input, supplier: `${input.supplier} (filialas)` };
    case 'promotion-event':
      return { ...input, attendees: input.attendees + 5 };
    default:
      // A kind added since the simulation was written: it plans none, so it never corrects one.
      return input;
  }
}
