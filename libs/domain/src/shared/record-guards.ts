import { isLocked, type DatingContext } from '../activity/activity-validation';
import { periodOf, type PeriodId } from '../period/reporting-period';
import type { IsoDate } from './iso-date';
import { DomainConflictError, DomainForbiddenError, DomainNotFoundError } from './validation';

/** The roles that act on a partner's record, each with the refusal code given to any other role. */
const ROLE_ONLY_CODE = {
  'partner-submitter': 'partner-only',
  'agency-auditor': 'agency-only',
  'finance-officer': 'finance-only',
} as const;

interface Actor {
  readonly role: string;
  readonly partnerId?: string;
}

/**
 * The record a command acts on. Another partner's record answers as missing, like an unknown
 * one, so that a partner cannot learn which ids other partners use.
 */
export function requireOwnRecord<R extends { readonly partnerId: string }>(
  record: R | null,
  actor: Actor,
  noun: 'activity' | 'expenditure',
): R {
  if (!record) throw new DomainNotFoundError(`no such ${noun}`);
  if (actor.role === 'partner-submitter' && actor.partnerId !== record.partnerId)
    throw new DomainNotFoundError(`no such ${noun}`);
  return record;
}

/** Only `role` takes this action (403 otherwise); `message` says who may. */
export function requireRole(actor: Actor, role: keyof typeof ROLE_ONLY_CODE, message: string): void {
  if (actor.role !== role) throw new DomainForbiddenError(ROLE_ONLY_CODE[role], message);
}

/** A voided record takes no more changes or reviews. */
export function assertNotVoided(record: { readonly status: string }, message: string): void {
  if (record.status === 'voided') throw new DomainConflictError('voided', message);
}

/** True when any of the dates falls in a locked reporting period. */
export function touchesLockedPeriod(ctx: DatingContext, ...dates: readonly IsoDate[]): boolean {
  return dates.some((date) => isLocked(date, ctx));
}

/**
 * Whether a change to a record touches a closed report. A late entry (`reportedIn`) belongs to the
 * report of the period it was reported in: while that one is open it is corrected and voided
 * normally, whatever the lock on its own date (or on a new date up to that period); once that
 * report is locked, it is touched. A record reported by its own date: any of the dates locked.
 */
export function touchesLockedReport(
  ctx: DatingContext,
  record: { readonly reportedIn?: PeriodId | undefined; readonly occurredOn: IsoDate },
  ...newDates: readonly IsoDate[]
): boolean {
  const reportedIn = record.reportedIn;
  if (reportedIn === undefined) return touchesLockedPeriod(ctx, record.occurredOn, ...newDates);
  if (ctx.lockedPeriods.has(reportedIn)) return true;
  // A new date after the reported period is reported by its own date, as any record is.
  return newDates.some((d) => periodOf(d, ctx.reportingPeriod) > reportedIn && isLocked(d, ctx));
}

/** A change to a recorded date in a locked period waits until the agency reopens it. */
export function assertPeriodsUnlocked(ctx: DatingContext, ...dates: readonly IsoDate[]): void {
  if (touchesLockedPeriod(ctx, ...dates)) {
    throw new DomainConflictError('period-locked', 'the reporting period is locked; ask the agency to reopen it');
  }
}

/** A change to a record whose report is closed (see touchesLockedReport) waits until the agency reopens it. */
export function assertReportUnlocked(
  ctx: DatingContext,
  record: { readonly reportedIn?: PeriodId | undefined; readonly occurredOn: IsoDate },
  ...newDates: readonly IsoDate[]
): void {
  if (touchesLockedReport(ctx, record, ...newDates))
    throw new DomainConflictError('period-locked', 'the reporting period is locked; ask the agency to reopen it');
}

/** An optional note is stored only when given, so events without one keep their shape. */
export function optionalNote(note: string | undefined): { readonly note?: string } {
  return note ? { note } : {};
}
