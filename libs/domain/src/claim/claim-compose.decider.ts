import type { ActivityActor } from '../activity/activity.state';
import { isPeriodId, periodBounds } from '../period/reporting-period';
import { requireRole } from '../shared/record-guards';
import { DomainConflictError, DomainNotFoundError, DomainValidationError, requireReason } from '../shared/validation';
import type { ClaimCandidate, ClaimCommandOf, ClaimContext } from './claim.commands';
import {
  scoLineId,
  type ClaimEvent,
  type ClaimLine,
  type ExpenditureClaimReleased,
  type ExpenditureClaimed,
} from './claim.events';
import type { ClaimState, ExistingClaim } from './claim.state';

/** A cost a claim of `period` may carry: verified with an eligible part, live, unclaimed, reported by then. */
export function isClaimable(c: ClaimCandidate, period: string): boolean {
  return !c.voided && c.claimedBy === null && (c.eligibleCents ?? 0) > 0 && c.reportedIn <= period;
}

export function requireClaim(state: ClaimState): ExistingClaim {
  if (state.status === 'none') throw new DomainNotFoundError('no such claim');
  return state;
}

function checkPeriod(period: string, ctx: ClaimContext): void {
  const issue = (rule: string, message: string) =>
    new DomainValidationError([{ field: 'period', rule, message, value: period }]);
  if (!isPeriodId(period, ctx.reportingPeriod))
    throw issue(
      'reporting-period',
      `must be a ${ctx.reportingPeriod} period such as 2024-${ctx.reportingPeriod === 'quarterly' ? 'Q2' : '05'}`,
    );
  const { start, end } = periodBounds(period);
  if (end < ctx.projectStart || start > ctx.projectEnd)
    throw issue('within-project-period', `must overlap the project period ${ctx.projectStart}..${ctx.projectEnd}`);
  if (start > ctx.today) throw issue('not-in-future', `must have begun by today (${ctx.today})`);
}

/**
 * One line per SCO option and partner whose amount up to the period differs from what live claims
 * carry of it: the line claims the difference, so over all claims each option's amount is claimed
 * exactly once. An amount that fell below what was claimed (a record voided since) gives a negative
 * line, a deduction that takes the excess back. Dated the period's last day (today if sooner).
 */
export function pickScoLines(command: ClaimCommandOf<'ComposeClaim'>, today: string): ClaimLine[] {
  if (command.expenditureIds) return [];
  const { end } = periodBounds(command.period);
  const occurredOn = end < today ? end : today;
  return (command.scoCandidates ?? []).flatMap((s) => {
    const key = scoLineId(s.scoId, s.partnerId);
    const earlierCents = command.scoClaimed?.[key] ?? 0;
    if (s.uptoCents === earlierCents) return [];
    const { scoId, type, partnerId, categoryId, records, uptoCents } = s;
    const sco = { scoId, type, records, uptoCents, earlierCents };
    return [{ expenditureId: key, partnerId, categoryId, occurredOn, eligibleCents: uptoCents - earlierCents, sco }];
  });
}

function pickLines(command: ClaimCommandOf<'ComposeClaim'>, today: string): ClaimLine[] {
  const claimable = command.candidates.filter((c) => isClaimable(c, command.period));
  let chosen = claimable;
  if (command.expenditureIds) {
    const byId = new Map(claimable.map((c) => [c.expenditureId, c]));
    const missing = command.expenditureIds.filter((id) => !byId.has(id));
    if (missing.length)
      throw new DomainValidationError([
        {
          field: 'expenditureIds',
          rule: 'claimable',
          message: `must name verified, unclaimed costs with an eligible part reported by ${command.period}`,
          value: missing,
        },
      ]);
    chosen = [...new Set(command.expenditureIds)].map((id) => byId.get(id)!);
  }
  const sco = pickScoLines(command, today);
  if (chosen.length === 0 && sco.length === 0)
    throw new DomainConflictError(
      'nothing-to-claim',
      `no verified eligible cost awaits a claim up to ${command.period}`,
    );
  return chosen
    .map(({ expenditureId, partnerId, categoryId, occurredOn, eligibleCents }): ClaimLine => ({
      expenditureId,
      partnerId,
      categoryId,
      occurredOn,
      eligibleCents: eligibleCents!,
    }))
    .concat(sco)
    .sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0));
}

export function decideComposeClaim(
  state: ClaimState,
  command: ClaimCommandOf<'ComposeClaim'>,
  actor: ActivityActor,
  ctx: ClaimContext,
): ClaimEvent[] {
  requireRole(actor, 'finance-officer', 'only finance staff compose payment claims');
  if (state.status !== 'none') throw new DomainConflictError('claim-exists', `claim ${command.claimId} already exists`);
  checkPeriod(command.period, ctx);
  const lines = pickLines(command, ctx.today);
  const { claimId, projectCode, period } = command;
  const { esfPlusBp, nationalBp, today } = ctx;
  return [
    { type: 'ClaimComposed', data: { claimId, projectCode, period, composedOn: today, lines, esfPlusBp, nationalBp } },
  ];
}

export function decideWithdrawClaim(
  state: ClaimState,
  command: ClaimCommandOf<'WithdrawClaim'>,
  actor: ActivityActor,
): ClaimEvent[] {
  requireRole(actor, 'finance-officer', 'only finance staff withdraw payment claims');
  const claim = requireClaim(state);
  const reason = requireReason(command.reason);
  if (claim.status === 'withdrawn') return [];
  if (claim.status !== 'composed')
    throw new DomainConflictError(
      'claim-submitted',
      'a submitted claim is not withdrawn; the managing authority decides on it',
    );
  return [{ type: 'ClaimWithdrawn', data: { claimId: claim.claimId, reason } }];
}

/** What composing a claim appends to each of its costs' streams (each at the revision read). */
export function expenditureClaims(e: ClaimEvent): ExpenditureClaimed[] {
  if (e.type !== 'ClaimComposed') return [];
  return e.data.lines
    .filter((l) => !l.sco)
    .map(({ expenditureId, partnerId, eligibleCents }) => ({
      type: 'ExpenditureClaimed',
      data: { expenditureId, partnerId, claimId: e.data.claimId, eligibleCents },
    }));
}

/** What withdrawing a claim appends to each of its costs' streams: they may be claimed again. */
export function expenditureReleases(claim: ExistingClaim): ExpenditureClaimReleased[] {
  return claim.lines
    .filter((l) => !l.sco)
    .map(({ expenditureId, partnerId }) => ({
      type: 'ExpenditureClaimReleased',
      data: { expenditureId, partnerId, claimId: claim.claimId },
    }));
}
