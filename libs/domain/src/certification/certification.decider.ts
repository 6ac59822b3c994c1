import type { ActivityActor } from '../activity/activity.state';
import { SERVICES } from '../activity/activity-kinds';
import { canonicalJson } from '../shared/canonical-json';
import { isIsoDate, type IsoDate } from '../shared/iso-date';
import { requireRole } from '../shared/record-guards';
import { DomainConflictError, DomainNotFoundError, IssueCollector, requireReason } from '../shared/validation';
import { CERTIFICATION_SCHEMES, type CertificateAwarded, type CertificationEvent } from './certification.events';
import type { Certificate, CertificateState } from './certification.state';

type Award = CertificateAwarded['data'];

export type CertificationCommand =
  | ({ readonly type: 'AwardCertificate' } & Award)
  | {
      readonly type: 'RenewCertificate';
      readonly renewedOn: IsoDate;
      readonly validTo: IsoDate;
      readonly certificateRef: string;
    }
  | { readonly type: 'WithdrawCertificate'; readonly withdrawnOn: IsoDate; readonly reason: string };

/** What certificates are checked against: the project's partners and the check's day. */
export interface CertificationContext {
  readonly today: IsoDate;
  readonly partnerIds: readonly string[];
}

/** A certificate reference: a code as the certifying body writes it, never a name. */
const REF = /^[A-Za-z0-9._:/-]{1,60}$/;
/** Certification schemes run for a few years; ten is beyond any of them (a typo guard). */
const MAX_YEARS = 10;

function date(c: IssueCollector, field: string, value: unknown, from: IsoDate | null, to: IsoDate, rule: string): void {
  if (!isIsoDate(value)) c.add(field, 'iso-date', 'must be a calendar date YYYY-MM-DD', value);
  else if (from !== null && value < from) c.add(field, rule, `must not be before ${from}`, value);
  else if (value > to) c.add(field, rule, `must not be after ${to}`, value);
}

function reference(c: IssueCollector, value: unknown): void {
  if (typeof value !== 'string' || !REF.test(value))
    c.add('certificateRef', 'reference', 'must be a code of 1-60 letters, digits or ._:/-', value);
}

const yearsAfter = (day: IsoDate, years: number): IsoDate => `${Number(day.slice(0, 4)) + years}${day.slice(4)}`;

function checkAward(cmd: Award, ctx: CertificationContext): void {
  const c = new IssueCollector();
  if (!ctx.partnerIds.includes(cmd.partnerId))
    c.add('partnerId', 'registered-partner', 'must be a partner of the project', cmd.partnerId);
  if (!CERTIFICATION_SCHEMES.includes(cmd.scheme))
    c.add('scheme', 'one-of', `must be one of ${CERTIFICATION_SCHEMES.join(', ')}`, cmd.scheme);
  else if (
    cmd.scheme === 'other' &&
    (typeof cmd.schemeName !== 'string' || cmd.schemeName.trim().length < 3 || cmd.schemeName.length > 120)
  )
    c.add('schemeName', 'required-for-other', 'must name the scheme (3-120 characters) when scheme is other', null);
  else if (cmd.scheme !== 'other' && cmd.schemeName !== null)
    c.add('schemeName', 'only-for-other', 'is given only when scheme is other', cmd.schemeName);
  if (cmd.services.length < 1 || new Set(cmd.services).size !== cmd.services.length)
    c.add('services', 'distinct', 'must name one or more services, each once', cmd.services);
  cmd.services.forEach((s, i) => {
    if (!SERVICES.includes(s)) c.add(`services[${i}]`, 'one-of', `must be one of ${SERVICES.join(', ')}`, s);
  });
  // Awarded already (it may predate the project); valid for some time, never for ever.
  date(c, 'validFrom', cmd.validFrom, null, ctx.today, 'not-after-today');
  if (isIsoDate(cmd.validFrom))
    date(c, 'validTo', cmd.validTo, cmd.validFrom, yearsAfter(cmd.validFrom, MAX_YEARS), 'in-order');
  if (typeof cmd.certifyingBody !== 'string' || cmd.certifyingBody.trim().length < 3 || cmd.certifyingBody.length > 200)
    c.add('certifyingBody', 'text', 'must be 3-200 characters', cmd.certifyingBody);
  reference(c, cmd.certificateRef);
  c.throwIfAny();
}

function decideRenewal(
  cert: Certificate,
  cmd: Extract<CertificationCommand, { type: 'RenewCertificate' }>,
  ctx: CertificationContext,
): CertificationEvent[] {
  const c = new IssueCollector();
  date(c, 'renewedOn', cmd.renewedOn, cert.validFrom, ctx.today, 'within-validity');
  // A renewal extends the certificate: its new last day is after the current one.
  if (!isIsoDate(cmd.validTo) || cmd.validTo <= cert.validTo)
    c.add('validTo', 'extends', `must be a day after the current last valid day ${cert.validTo}`, cmd.validTo);
  else if (cmd.validTo > yearsAfter(isIsoDate(cmd.renewedOn) ? cmd.renewedOn : cert.validTo, MAX_YEARS))
    c.add('validTo', 'in-order', `must be within ${MAX_YEARS} years of the renewal`, cmd.validTo);
  reference(c, cmd.certificateRef);
  c.throwIfAny();
  const { certificateId } = cert;
  const { renewedOn, validTo, certificateRef } = cmd;
  return [{ type: 'CertificateRenewed', data: { certificateId, renewedOn, validTo, certificateRef } }];
}

function decideWithdrawal(
  cert: Certificate,
  cmd: Extract<CertificationCommand, { type: 'WithdrawCertificate' }>,
  ctx: CertificationContext,
): CertificationEvent[] {
  const c = new IssueCollector();
  date(c, 'withdrawnOn', cmd.withdrawnOn, cert.validFrom, ctx.today, 'within-validity');
  c.throwIfAny();
  const reason = requireReason(cmd.reason);
  return [
    { type: 'CertificateWithdrawn', data: { certificateId: cert.certificateId, withdrawnOn: cmd.withdrawnOn, reason } },
  ];
}

/**
 * The agency records a partner's quality certificates (as the certifying body issued them): the
 * award, renewals and a withdrawal. Recording the same award again changes nothing; a withdrawn
 * certificate is neither renewed nor withdrawn again. Another partner's answers as missing.
 */
export function decideCertification(
  state: CertificateState,
  command: CertificationCommand,
  actor: ActivityActor,
  ctx: CertificationContext,
): CertificationEvent[] {
  requireRole(actor, 'agency-auditor', 'only the agency records certificates');
  if (command.type === 'AwardCertificate') {
    const { type: _, ...data } = command;
    if (state) {
      const { renewals: _r, withdrawnOn: _w, withdrawalReason: _wr, ...known } = state;
      if (canonicalJson(known) === canonicalJson(data)) return [];
      throw new DomainConflictError('certificate-exists', `certificate ${command.certificateId} is already recorded`);
    }
    checkAward(data, ctx);
    return [{ type: 'CertificateAwarded', data }];
  }
  if (!state) throw new DomainNotFoundError('no such certificate');
  if (state.withdrawnOn !== null)
    throw new DomainConflictError('certificate-withdrawn', `certificate ${state.certificateId} is withdrawn`);
  return command.type === 'RenewCertificate'
    ? decideRenewal(state, command, ctx)
    : decideWithdrawal(state, command, ctx);
}
