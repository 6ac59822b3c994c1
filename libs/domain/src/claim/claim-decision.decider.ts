import type { ActivityActor } from '../activity/activity.state';
import { isIsoDate } from '../shared/iso-date';
import { largestRemainder } from '../shared/largest-remainder';
import { formatMoney, isCents, sumCents, type Cents } from '../shared/money';
import { requireRole } from '../shared/record-guards';
import { DomainConflictError, DomainValidationError, IssueCollector } from '../shared/validation';
import type { ClaimCommandOf, ClaimContext, LineDecisionInput, TotalDecisionInput } from './claim.commands';
import { CLAIM_CUT_REASONS, type ClaimEvent, type ClaimLine, type ClaimLineDecision } from './claim.events';
import { requireClaim } from './claim-compose.decider';
import { claimTotals, type ClaimState, type ExistingClaim } from './claim.state';

/** A claim date: a calendar day from the project's start to today, not before `after` (the previous step). */
export function checkClaimDate(field: string, date: unknown, ctx: ClaimContext, after: string | null): void {
  const c = new IssueCollector();
  if (!isIsoDate(date)) c.add(field, 'iso-date', 'must be a calendar date YYYY-MM-DD', date);
  else if (date < ctx.projectStart)
    c.add(field, 'within-project-period', `must not be before the project start (${ctx.projectStart})`, date);
  else if (date > ctx.today) c.add(field, 'not-in-future', `must not be after today (${ctx.today})`, date);
  else if (after !== null && date < after) c.add(field, 'in-order', `must not be before ${after}`, date);
  c.throwIfAny();
}

export function decideSubmitClaim(
  state: ClaimState,
  command: ClaimCommandOf<'SubmitClaim'>,
  actor: ActivityActor,
  ctx: ClaimContext,
): ClaimEvent[] {
  requireRole(actor, 'finance-officer', 'only finance staff submit payment claims');
  const claim = requireClaim(state);
  if (claim.status === 'submitted' && claim.submittedOn === command.submittedOn) return [];
  if (claim.status !== 'composed')
    throw new DomainConflictError(`claim-${claim.status}`, `a ${claim.status} claim is not submitted`);
  checkClaimDate('submittedOn', command.submittedOn, ctx, claim.composedOn);
  return [{ type: 'ClaimSubmitted', data: { claimId: claim.claimId, submittedOn: command.submittedOn } }];
}

const reasonIssue = (c: IssueCollector, field: string, d: { outcome: string; reasonCode?: string }) => {
  if (d.outcome === 'accepted') {
    if (d.reasonCode !== undefined) c.add(field, 'no-reason-when-accepted', 'an accepted amount takes no reason code');
  } else if (!CLAIM_CUT_REASONS.includes(d.reasonCode as never))
    c.add(field, 'cut-reason', `must be one of ${CLAIM_CUT_REASONS.join(', ')}`, d.reasonCode);
};

/** One line's verdict from its input: the cut is within the line, a cut or a rejection says why. */
function lineDecision(
  c: IssueCollector,
  at: string,
  line: ClaimLine,
  d: LineDecisionInput | TotalDecisionInput,
  cut: Cents,
): ClaimLineDecision {
  reasonIssue(c, `${at}.reasonCode`, d);
  // A negative SCO line is the project taking back what earlier claims carried in excess: there is
  // nothing to cut or reject in it, the managing authority takes the deduction as it stands.
  if (line.eligibleCents < 0)
    return { expenditureId: line.expenditureId, outcome: 'accepted', acceptedCents: line.eligibleCents, cutCents: 0 };
  const cutCents = d.outcome === 'rejected' ? line.eligibleCents : d.outcome === 'accepted' ? 0 : cut;
  const outcome = d.outcome === 'cut' && cutCents === 0 ? 'accepted' : d.outcome;
  const decision: ClaimLineDecision = {
    expenditureId: line.expenditureId,
    outcome,
    acceptedCents: line.eligibleCents - cutCents,
    cutCents,
    ...(outcome !== 'accepted' && d.reasonCode ? { reasonCode: d.reasonCode } : {}),
    ...(d.note ? { note: d.note } : {}),
  };
  return decision;
}

function perLine(c: IssueCollector, lines: readonly ClaimLine[], inputs: readonly LineDecisionInput[]) {
  const byId = new Map(inputs.map((d, i) => [d.expenditureId, { d, i }]));
  for (const [i, d] of inputs.entries())
    if (!lines.some((l) => l.expenditureId === d.expenditureId) || byId.get(d.expenditureId)!.i !== i)
      c.add(`lines[${i}].expenditureId`, 'claim-line', 'must name a line of the claim, once', d.expenditureId);
  return lines.map((line) => {
    const found = byId.get(line.expenditureId);
    if (!found) return lineDecision(c, 'lines', line, { outcome: 'accepted' }, 0);
    const { d, i } = found;
    const cut = d.cutCents ?? 0;
    if (line.eligibleCents < 0 && d.outcome !== 'accepted')
      c.add(`lines[${i}].outcome`, 'deduction-accepted', 'a negative SCO line (a deduction) is accepted as it stands');
    else if (d.outcome === 'cut' && (!isCents(cut) || cut === 0 || cut > line.eligibleCents))
      c.add(
        `lines[${i}].cut`,
        'within-line',
        `must be more than 0 and at most the line's ${formatMoney(line.eligibleCents)}`,
        cut,
      );
    return lineDecision(c, `lines[${i}]`, line, d, Math.min(isCents(cut) ? cut : 0, line.eligibleCents));
  });
}

/**
 * A cut of the whole claim, spread over its positive lines by their amounts (largest remainder:
 * exact to the cent); at most the claim's net total. Deductions stand whatever the outcome.
 */
function inTotal(c: IssueCollector, lines: readonly ClaimLine[], d: TotalDecisionInput) {
  const total = Number(sumCents(lines.map((l) => l.eligibleCents)));
  const cut = d.cutCents ?? 0;
  if (d.outcome === 'cut' && (!isCents(cut) || cut === 0 || cut > total))
    c.add('total.cut', 'within-claim', `must be more than 0 and at most the claim's ${formatMoney(total)}`, cut);
  const cuts =
    d.outcome === 'cut' && isCents(cut) && cut <= total
      ? largestRemainder(
          cut,
          lines.map((l) => Math.max(0, l.eligibleCents)),
        )
      : lines.map(() => 0);
  return lines.map((line, i) => lineDecision(c, 'total', line, d, cuts[i]!));
}

export function decideRecordClaimDecision(
  state: ClaimState,
  command: ClaimCommandOf<'RecordClaimDecision'>,
  actor: ActivityActor,
  ctx: ClaimContext,
): ClaimEvent[] {
  requireRole(actor, 'finance-officer', "only finance staff record the managing authority's decision");
  const claim = requireClaim(state);
  if (claim.status !== 'submitted')
    throw new DomainConflictError(
      `claim-${claim.status}`,
      `the decision is recorded on a submitted claim, this one is ${claim.status}`,
    );
  checkClaimDate('decidedOn', command.decidedOn, ctx, claim.submittedOn);
  const c = new IssueCollector();
  if ((command.lines === undefined) === (command.total === undefined))
    throw new DomainValidationError([
      { field: 'lines', rule: 'lines-or-total', message: 'give either lines or total, not both' },
    ]);
  const lines = command.total ? inTotal(c, claim.lines, command.total) : perLine(c, claim.lines, command.lines!);
  c.throwIfAny();
  return [{ type: 'ClaimDecisionRecorded', data: { claimId: claim.claimId, decidedOn: command.decidedOn, lines } }];
}

export function decideRecordReimbursement(
  state: ClaimState,
  command: ClaimCommandOf<'RecordReimbursement'>,
  actor: ActivityActor,
  ctx: ClaimContext,
): ClaimEvent[] {
  requireRole(actor, 'finance-officer', 'only finance staff record reimbursements');
  const claim = requireClaim(state);
  if (claim.status !== 'decided')
    throw new DomainConflictError(
      `claim-${claim.status}`,
      `a reimbursement follows the decision, this claim is ${claim.status}`,
    );
  checkClaimDate('paidOn', command.paidOn, ctx, claim.decidedOn);
  const { accepted, reimbursed } = claimTotals(claim);
  const unpaid = accepted - reimbursed;
  const amount = command.amountCents;
  if (!isCents(amount) || amount === 0 || BigInt(amount) > unpaid)
    throw new DomainValidationError([
      {
        field: 'amount',
        rule: 'within-accepted',
        message: `must be more than 0 and at most the unpaid accepted ${formatMoney(unpaid)}`,
        value: isCents(amount) ? formatMoney(amount) : amount,
      },
    ]);
  const byLine = paymentByLine(claim, amount);
  return [
    { type: 'ClaimReimbursed', data: { claimId: claim.claimId, amountCents: amount, paidOn: command.paidOn, byLine } },
  ];
}

/**
 * Each line's part of a payment by what is still unpaid of it, so no line is paid past its accepted
 * amount. A deduction still open is netted against the payment first: the managing authority pays
 * the positive lines the amount plus the deduction, and the deduction's line counts as settled.
 */
function paymentByLine(claim: ExistingClaim, amount: Cents): { expenditureId: string; cents: Cents }[] {
  const open = claim.lines.map(
    (l) => (claim.decisions?.[l.expenditureId]?.acceptedCents ?? 0) - (claim.reimbursedByLine[l.expenditureId] ?? 0),
  );
  const deductions = open.reduce((a, o) => a + Math.min(0, o), 0);
  const parts = largestRemainder(
    amount - deductions,
    open.map((o) => Math.max(0, o)),
  );
  return claim.lines
    .map((l, i) => ({ expenditureId: l.expenditureId, cents: open[i]! < 0 ? open[i]! : parts[i]! }))
    .filter((p) => p.cents !== 0);
}
