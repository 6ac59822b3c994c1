const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ROLES = ['partner-submitter', 'agency-auditor', 'finance-officer', 'admin'];

/** The XLSX workbook's payload check (see reportPayloadCheck). */
export const checkReportPayload = (payload: unknown) => reportPayloadCheck('xlsx')(payload);

/** A report payload read back from Redis: what the API validated, checked again before it is run. */
export function reportPayloadCheck(format: 'xlsx' | 'pdf'): (payload: unknown) => string | null {
  return (payload) => {
    if (typeof payload !== 'object' || payload === null) return 'the payload must be an object';
    const p = payload as Record<string, unknown>;
    if (p.format !== format) return `format must be ${format}`;
    return pointIssue(p) ?? actorIssue(p);
  };
}

function pointIssue(p: Record<string, unknown>): string | null {
  if (typeof p.projectCode !== 'string' || !/^[\w.-]{1,64}$/.test(p.projectCode))
    return 'projectCode must be a project code';
  if (p.position !== undefined && !(Number.isSafeInteger(p.position) && Number(p.position) >= 0))
    return 'position must be a ledger position';
  if (p.asOf !== undefined && !(typeof p.asOf === 'string' && /^(\d{4}-\d{2}-\d{2}|\d{1,15})$/.test(p.asOf)))
    return 'asOf must be a day YYYY-MM-DD or a position';
  if (p.partnerId !== undefined && !(typeof p.partnerId === 'string' && SLUG.test(p.partnerId)))
    return 'partnerId must be a partner id';
  return null;
}

function actorIssue(p: Record<string, unknown>): string | null {
  const actor = p.actor as Record<string, unknown> | null | undefined;
  if (
    typeof actor !== 'object' ||
    actor === null ||
    typeof actor.subject !== 'string' ||
    !ROLES.includes(String(actor.role))
  )
    return 'actor must name a subject and a role';
  if (actor.role === 'partner-submitter' && (typeof actor.partnerId !== 'string' || p.partnerId !== actor.partnerId))
    return "a partner's report is its own";
  return null;
}
