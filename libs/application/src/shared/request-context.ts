import type { EventMetadata } from '@ihl/event-store';
import type { DryRunWrites } from './dry-run-writes';
import type { RequestFingerprint } from './request-fingerprint';

export const ROLES = ['partner-submitter', 'agency-auditor', 'finance-officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who acts, taken from the verified token only — never from a request body. */
export interface Actor {
  readonly subject: string;
  readonly role: Role;
  readonly partnerId?: string;
}

export interface RequestContext {
  readonly actor: Actor;
  readonly correlationId: string;
  /** The HTTP request's id (`X-Request-Id`, as answered): the log line of the request that wrote an event. */
  readonly requestId?: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  /** Keyed fingerprint of the request (route + body), so a reused key with another body is detected. */
  readonly fingerprint?: RequestFingerprint;
  /** If-Match: the revision the client last saw. */
  readonly expectedRevision?: number;
  /** The file import that issued the command: its records' audit trail names it. */
  readonly importId?: string;
  /** Decide as a write would, append to this instead of the store (an import's dry run). */
  readonly dryRun?: DryRunWrites;
}

export function eventMetadata(ctx: RequestContext, eventId: string, recordedAt: Date): EventMetadata {
  return {
    eventId,
    actor: {
      subject: ctx.actor.subject,
      role: ctx.actor.role,
      ...(ctx.actor.partnerId ? { partnerId: ctx.actor.partnerId } : {}),
    },
    correlationId: ctx.correlationId,
    causationId: ctx.causationId ?? ctx.correlationId,
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
    ...(ctx.idempotencyKey ? { idempotencyKey: ctx.idempotencyKey } : {}),
    ...(ctx.fingerprint ? { requestHash: ctx.fingerprint.value() } : {}),
    ...(ctx.importId ? { importId: ctx.importId } : {}),
    recordedAt: recordedAt.toISOString(),
  };
}
