import type { RequestContext } from '@ihl/application';
import { ownPartnerId } from './partner-scope';

/**
 * `?partnerId=` on a figure: a partner's token may name only its own partner (403 otherwise, as for
 * a partner id in a body) and always gets its own figures; other roles may name any partner.
 */
export function figurePartner(ctx: RequestContext, requested: string | undefined): string | undefined {
  return ctx.actor.role === 'partner-submitter' ? ownPartnerId(ctx, requested) : requested;
}

/** A partner's figures, or those of a date range, say so in the file name too. */
export function partnerPart(partnerId: string | null, between: { from: string; to: string } | null = null): string {
  return (partnerId ? `-${partnerId}` : '') + (between ? `-from-${between.from}-to-${between.to}` : '');
}
