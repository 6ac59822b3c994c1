import { isImportKind } from '@ihl/imports';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** What the api names an upload: a UUID and the format's extension, nothing a path could escape with. */
export const UPLOAD_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(csv|xlsx)$/;

/** An import payload read back from Redis: what the API validated, checked again before it is run. */
export function checkImportPayload(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return 'the payload must be an object';
  const p = payload as Record<string, unknown>;
  if (typeof p.projectCode !== 'string' || !/^[\w.-]{1,64}$/.test(p.projectCode))
    return 'projectCode must be a project code';
  if (typeof p.partnerId !== 'string' || !SLUG.test(p.partnerId)) return 'partnerId must be a partner id';
  if (typeof p.file !== 'string' || !UPLOAD_NAME.test(p.file)) return 'file must name an upload';
  if (p.format !== 'csv' && p.format !== 'xlsx') return 'format must be csv or xlsx';
  if (!p.file.endsWith(`.${p.format}`)) return 'file and format must agree';
  if (p.kind !== undefined && !isImportKind(p.kind)) return 'kind must be a record kind';
  if (typeof p.dryRun !== 'boolean') return 'dryRun must be true or false';
  const actor = p.actor as Record<string, unknown> | null | undefined;
  if (typeof actor !== 'object' || actor === null || typeof actor.subject !== 'string')
    return 'actor must name a subject';
  if (actor.role !== 'partner-submitter' || actor.partnerId !== p.partnerId) return 'a partner imports its own rows';
  return null;
}
