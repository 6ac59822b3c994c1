import { BadRequestException, CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { RequestContext } from '@ihl/application';
import { canonicalJson } from '@ihl/domain';

type LedgerRequest = Request & { ledgerContext?: RequestContext };

/**
 * Adds what writes need to the authenticated context: a hash of the request (so an
 * Idempotency-Key reused with another body is caught) and the If-Match revision.
 */
@Injectable()
export class WriteContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<LedgerRequest>();
    const ctx = req.ledgerContext;
    if (ctx && req.method !== 'GET') {
      const key = req.header('idempotency-key');
      if (key !== undefined && !/^[A-Za-z0-9._:-]{8,128}$/.test(key)) {
        throw new BadRequestException({
          message: 'Idempotency-Key: must be 8-128 letters, digits, dots, dashes, underscores or colons',
          issues: [
            {
              field: 'Idempotency-Key',
              rule: 'idempotency-key',
              message: 'must be 8-128 letters, digits, dots, dashes, underscores or colons',
            },
          ],
        });
      }
      const requestHash = createHash('sha256')
        .update(`${req.method} ${req.path}\n${ctx.actor.subject}\n${canonicalJson(req.body ?? null)}`)
        .digest('hex');
      const ifMatch = req.header('if-match');
      let expectedRevision: number | undefined;
      if (ifMatch !== undefined) {
        const m = /^(?:W\/)?"?(-?\d{1,15})"?$/.exec(ifMatch.trim());
        if (!m) {
          throw new BadRequestException({
            message: 'If-Match: must be the ETag of the record, e.g. "3"',
            issues: [
              { field: 'If-Match', rule: 'etag', message: 'must be the ETag of the record, e.g. "3"', value: ifMatch },
            ],
          });
        }
        expectedRevision = Number(m[1]);
      }
      req.ledgerContext = { ...ctx, requestHash, ...(expectedRevision !== undefined ? { expectedRevision } : {}) };
    }
    return next.handle();
  }
}
