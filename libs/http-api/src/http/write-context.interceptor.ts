import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { REQUEST_FINGERPRINTER, type RequestContext, type RequestFingerprinter } from '@ihl/application';

type LedgerRequest = Request & { ledgerContext?: RequestContext };

/**
 * Adds what writes need to the authenticated context: a keyed fingerprint of the request (so an
 * Idempotency-Key reused with another body is caught) and the If-Match revision.
 */
@Injectable()
export class WriteContextInterceptor implements NestInterceptor {
  constructor(@Inject(REQUEST_FINGERPRINTER) private readonly fingerprinter: RequestFingerprinter) {}

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
      const fingerprint = this.fingerprinter.fingerprint({
        method: req.method,
        path: req.path,
        subject: ctx.actor.subject,
        body: req.body ?? null,
      });
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
      req.ledgerContext = { ...ctx, fingerprint, ...(expectedRevision !== undefined ? { expectedRevision } : {}) };
    }
    return next.handle();
  }
}
