import type { ActivityActor } from '../activity/activity.state';
import type { ClaimContext } from '../claim/claim.commands';
import { checkClaimDate } from '../claim/claim-decision.decider';
import type { IsoDate } from '../shared/iso-date';
import { formatMoney, isCents, type Cents, type CentsSum } from '../shared/money';
import { requireRole } from '../shared/record-guards';
import { DomainConflictError, DomainNotFoundError, DomainValidationError } from '../shared/validation';
import type { AdvanceEvent } from './advance.events';

export interface Advance {
  readonly advanceId: string;
  readonly partnerId: string | null;
  readonly amountCents: Cents;
  readonly paidOn: IsoDate;
  readonly clearedCents: Cents;
}

export interface AdvancesState {
  readonly advances: ReadonlyMap<string, Advance>;
  /** Cleared against each claim so far, from every advance. */
  readonly clearedByClaim: ReadonlyMap<string, Cents>;
}

export const initialAdvancesState: AdvancesState = { advances: new Map(), clearedByClaim: new Map() };

export function evolveAdvances(state: AdvancesState, e: AdvanceEvent): AdvancesState {
  const advances = new Map(state.advances);
  if (e.type === 'AdvancePaid') {
    advances.set(e.data.advanceId, { ...e.data, clearedCents: 0 });
    return { ...state, advances };
  }
  const advance = advances.get(e.data.advanceId);
  if (advance) advances.set(advance.advanceId, { ...advance, clearedCents: advance.clearedCents + e.data.amountCents });
  const clearedByClaim = new Map(state.clearedByClaim);
  clearedByClaim.set(e.data.claimId, (clearedByClaim.get(e.data.claimId) ?? 0) + e.data.amountCents);
  return { advances, clearedByClaim };
}

export const foldAdvances = (events: readonly AdvanceEvent[]): AdvancesState =>
  events.reduce(evolveAdvances, initialAdvancesState);

export type AdvanceCommand =
  | {
      readonly type: 'RecordAdvance';
      readonly advanceId: string;
      readonly partnerId: string | null;
      readonly amountCents: Cents;
      readonly paidOn: IsoDate;
    }
  | {
      readonly type: 'ClearAdvance';
      readonly advanceId: string;
      readonly claimId: string;
      readonly amountCents: Cents;
      readonly clearedOn: IsoDate;
      /** The claim's reimbursement as its stream has it (null: no such claim); it only grows. */
      readonly claimReimbursedCents: CentsSum | null;
    };

/** What advances are checked against: the claim dates' rules and the project's partners. */
export interface AdvanceContext extends ClaimContext {
  readonly partnerIds: readonly string[];
}

const amountIssue = (rule: string, message: string, value: unknown) =>
  new DomainValidationError([{ field: 'amount', rule, message, value }]);

export function decideAdvance(
  state: AdvancesState,
  command: AdvanceCommand,
  actor: ActivityActor,
  ctx: AdvanceContext,
): AdvanceEvent[] {
  requireRole(actor, 'finance-officer', 'only finance staff record advances and their clearing');
  const amount = command.amountCents;
  if (!isCents(amount) || amount === 0) throw amountIssue('money', 'must be a positive amount', amount);
  if (command.type === 'RecordAdvance') {
    const { advanceId, partnerId, paidOn } = command;
    const known = state.advances.get(advanceId);
    if (known) {
      if (known.amountCents === amount && known.paidOn === paidOn && known.partnerId === partnerId) return [];
      throw new DomainConflictError('advance-exists', `advance ${advanceId} is already recorded`);
    }
    if (partnerId !== null && !ctx.partnerIds.includes(partnerId))
      throw new DomainValidationError([
        {
          field: 'partnerId',
          rule: 'registered-partner',
          message: 'must be a partner of the project',
          value: partnerId,
        },
      ]);
    checkClaimDate('paidOn', paidOn, ctx, null);
    return [{ type: 'AdvancePaid', data: { advanceId, partnerId, amountCents: amount, paidOn } }];
  }
  const advance = state.advances.get(command.advanceId);
  if (!advance) throw new DomainNotFoundError('no such advance');
  if (command.claimReimbursedCents === null)
    throw new DomainValidationError([
      { field: 'claimId', rule: 'existing-claim', message: 'must name a claim of the project', value: command.claimId },
    ]);
  checkClaimDate('clearedOn', command.clearedOn, ctx, advance.paidOn);
  const leftOfAdvance = advance.amountCents - advance.clearedCents;
  if (amount > leftOfAdvance)
    throw amountIssue(
      'within-advance',
      `must not exceed what is left of the advance (${formatMoney(leftOfAdvance)})`,
      formatMoney(amount),
    );
  const leftOfClaim = command.claimReimbursedCents - BigInt(state.clearedByClaim.get(command.claimId) ?? 0);
  if (BigInt(amount) > leftOfClaim)
    throw amountIssue(
      'within-reimbursement',
      `must not exceed the claim's reimbursement not yet cleared (${formatMoney(leftOfClaim)})`,
      formatMoney(amount),
    );
  const { advanceId, claimId, clearedOn } = command;
  return [{ type: 'AdvanceCleared', data: { advanceId, claimId, amountCents: amount, clearedOn } }];
}
