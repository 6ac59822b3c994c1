import { ForbiddenException } from '@nestjs/common';
import type { RequestContext } from '@ihl/application';

/** A partner acts only for itself: a partner id in the request must be the token's own. */
export function ownPartnerId(ctx: RequestContext, requested: string | undefined): string {
  const own = ctx.actor.partnerId;
  if (!own) throw new ForbiddenException('only partner accounts submit records');
  if (requested !== undefined && requested !== own) {
    throw new ForbiddenException({
      message: 'partnerId: may only be your own partner',
      issues: [{ field: 'partnerId', rule: 'own-partner', message: 'may only be your own partner', value: requested }],
    });
  }
  return own;
}
