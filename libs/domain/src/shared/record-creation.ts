import { canonicalJson } from './canonical-json';
import { DomainConflictError, DomainValidationError } from './validation';

/**
 * The checks that open a partner's record, shared by activities and expenditure. Returns
 * 'retry' when the same record arrives again (answered without new events), 'new' otherwise.
 */
export function openRecord(r: {
  readonly noun: 'activity' | 'expenditure';
  readonly ownPartnerMessage: string;
  readonly id: string;
  readonly actor: { readonly role: string; readonly partnerId?: string };
  readonly partnerId: string;
  readonly existing: { readonly partnerId: string; readonly fields: unknown } | null;
  readonly fields: unknown;
}): 'retry' | 'new' {
  if (r.actor.role !== 'partner-submitter' || r.actor.partnerId !== r.partnerId) {
    throw new DomainValidationError([{ field: 'partnerId', rule: 'own-partner', message: r.ownPartnerMessage }]);
  }
  if (!r.existing) return 'new';
  if (r.existing.partnerId === r.partnerId && canonicalJson(r.existing.fields) === canonicalJson(r.fields))
    return 'retry';
  throw new DomainConflictError(`${r.noun}-id-taken`, `${r.noun} ${r.id} already exists with other values`);
}
