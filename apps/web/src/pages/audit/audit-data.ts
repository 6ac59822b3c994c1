import { api } from '../../api';
import { recordOfStream, type HistoryKind } from './history-kinds';

/** One event of GET /audit (see docs/api.md): who did what, when, in which record's stream. */
export interface AuditEvent {
  readonly position: number;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly recordedAt: string;
  readonly actor: unknown;
  readonly importId?: string;
}

export interface AuditPage {
  readonly figure: string;
  readonly totalEvents: number;
  readonly events: readonly AuditEvent[];
  readonly position: number;
  readonly next?: number | null;
}

export const FIGURES = ['persons-reached', 'volumes', 'budget'] as const;
export const PAGE_SIZE = 50;

/** What the explorer shows: a figure, maybe narrowed to a partner. */
export interface AuditSelection {
  readonly figure: string;
  readonly partnerId: string | null;
}

export function selectionOf(search: string): AuditSelection {
  const q = new URLSearchParams(search);
  const figure = q.get('figure') ?? '';
  const partnerId = q.get('partnerId');
  return {
    figure: (FIGURES as readonly string[]).includes(figure) ? figure : 'persons-reached',
    partnerId: partnerId && /^[a-z0-9][a-z0-9-]{0,62}$/.test(partnerId) ? partnerId : null,
  };
}

/** The audit route's address for a selection and a page (the cursor: after this position). */
export function auditApiPath(code: string, s: AuditSelection, after: number, extra = ''): string {
  const partner = s.partnerId ? `&partnerId=${encodeURIComponent(s.partnerId)}` : '';
  return `/api/v1/projects/${encodeURIComponent(code)}/audit?figure=${s.figure}${partner}&after=${after}${extra}`;
}

export function loadAuditPage(code: string, s: AuditSelection, after: number): Promise<AuditPage> {
  return api.get<AuditPage>(auditApiPath(code, s, after, `&pageSize=${PAGE_SIZE}`));
}

/** The record a stream holds (`activity-<id>`, `certificate-<id>`, …); null for the project's own stream. */
export function recordOf(streamId: string): { kind: HistoryKind; id: string } | null {
  return recordOfStream(streamId);
}

/** The in-app address of a record's history. */
export function historyHref(record: { kind: string; id: string }): string {
  return `/records/${record.id}/history?record=${record.kind}`;
}

/** A record history page's record id (a UUID, or a partner's id for its workforce), from its path; null for another path. */
export function historyPathId(path: string): string | null {
  return /^\/records\/([0-9a-z][0-9a-z-]{0,62})\/history$/.exec(path)?.[1] ?? null;
}

/** The actor as the metadata keeps it: subject, role and, for a partner, its id. */
export function actorOf(actor: unknown): { subject: string; role: string; partnerId?: string } | null {
  if (!actor || typeof actor !== 'object') return null;
  const a = actor as Record<string, unknown>;
  if (typeof a['subject'] !== 'string') return null;
  return {
    subject: a['subject'],
    role: typeof a['role'] === 'string' ? a['role'] : '',
    ...(typeof a['partnerId'] === 'string' ? { partnerId: a['partnerId'] } : {}),
  };
}
