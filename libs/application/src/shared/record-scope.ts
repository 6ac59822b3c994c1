import { DomainNotFoundError } from '@ihl/domain';
import type { RequestContext } from './request-context';

/** A record's fold as far as who may see it goes; a record not yet created has no owner. */
interface OwnedRecord {
  readonly status: string;
  readonly projectCode?: string;
  readonly partnerId?: string;
}

/**
 * The guard of every record of a project: another project's record, or (for a partner) another
 * partner's, is "not found" here, so the answer never tells that it exists.
 */
export function partnerScope(ctx: RequestContext, projectCode: string, noun: string): (state: OwnedRecord) => void {
  return (state) => {
    if (state.status === 'none') return;
    if (state.projectCode !== projectCode) throw new DomainNotFoundError(`no such ${noun}`);
    if (ctx.actor.role === 'partner-submitter' && ctx.actor.partnerId !== state.partnerId) {
      throw new DomainNotFoundError(`no such ${noun}`);
    }
  };
}

/** The partner whose dates a decision is checked against: the record's own, or the one a creation names. */
export function datingPartner(state: OwnedRecord, creating: string | undefined): string {
  return (state.status !== 'none' ? state.partnerId : creating) ?? '';
}
