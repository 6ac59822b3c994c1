import {
  DomainValidationError,
  type ActivityFields,
  type PersonProfile,
  type ServiceDeliveredFields,
} from '@ihl/domain';
import type { IdentifiedPerson, PersonRegistry } from './person-registry.port';

/** A service recipient as partners send it: the personal code is pseudonymized on arrival. */
export interface RecipientInput {
  readonly personalCode: string;
  readonly profile?: PersonProfile;
}

export type ActivityInput =
  | (Omit<ServiceDeliveredFields, 'recipient'> & { readonly recipient: RecipientInput })
  | Exclude<ActivityFields, ServiceDeliveredFields>;

export interface ResolvedActivity {
  readonly fields: ActivityFields;
  readonly recipientAgeYears?: number;
  readonly person?: IdentifiedPerson & { readonly profile?: PersonProfile };
}

/** Replaces a personal code by its pseudonym; the age on the service date feeds the age rules only. */
export function resolveActivityInput(persons: PersonRegistry, input: ActivityInput): ResolvedActivity {
  if (input.kind !== 'service-delivered') return { fields: input };
  const { recipient, ...rest } = input;
  const person = persons.identify(recipient.personalCode);
  const fields: ActivityFields = { ...rest, recipient: { pseudonym: person.pseudonym, keyVersion: person.keyVersion } };
  // The birth date the code carries joins the sealed profile: the ESF+ age bands need the age at
  // entry, which the birth year alone gets wrong for a year around each band boundary.
  const profile = { ...recipient.profile, ...(person.birthDate ? { birthDate: person.birthDate } : {}) };
  const resolvedPerson = { ...person, ...(Object.keys(profile).length > 0 ? { profile } : {}) };
  if (!person.birthDate) return { fields, person: resolvedPerson };
  const age = ageOn(person.birthDate, rest.occurredOn);
  if (age < 0)
    throw new DomainValidationError([
      { field: 'occurredOn', rule: 'after-birth', message: 'is before the recipient was born' },
    ]);
  return { fields, recipientAgeYears: age, person: resolvedPerson };
}

export function ageOn(birth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birth.slice(0, 4));
  return date.slice(5) < birth.slice(5) ? years - 1 : years;
}
