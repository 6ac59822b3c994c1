import {
  CorrectActivityCommand,
  CorrectExpenditureCommand,
  DeclareExpenditureCommand,
  LockPeriodCommand,
  RecordActivitiesBatchCommand,
  RegisterPartnerCommand,
  RejectActivityCommand,
  SetAllocationCommand,
  VerifyActivityCommand,
  VerifyExpenditureCommand,
  VoidActivityCommand,
  VoidExpenditureCommand,
  type Actor,
  type RequestContext,
} from '@ihl/application';
import type { SimStep } from './simulation-plan';

export const ADMIN: Actor = { subject: 'esfa-admin', role: 'admin' };
const AUDITOR: Actor = { subject: 'esfa-auditor', role: 'agency-auditor' };
const FINANCE: Actor = { subject: 'esfa-finance', role: 'finance-officer' };

/** The application command a step sends, with the actor who sends it in the project. */
export function commandOf(code: string, s: SimStep, ctx: (actor: Actor) => RequestContext): object {
  switch (s.kind) {
    case 'register-partner': {
      const { id, name, municipality, joinedOn } = s.partner;
      return new RegisterPartnerCommand(code, { id, name, municipality, joinedOn }, ctx(ADMIN));
    }
    case 'allocate':
      return new SetAllocationCommand(code, s.partner.id, s.categoryId, s.cents, ctx(FINANCE));
    case 'record-batch':
      return new RecordActivitiesBatchCommand(code, s.partner.id, s.items, ctx(s.partner.actor));
    case 'correct-activity':
      return new CorrectActivityCommand(
        code,
        s.record.activityId,
        s.input,
        'Pataisyta pagal lankymo žurnalą',
        ctx(s.record.partner.actor),
      );
    case 'void-activity':
      return new VoidActivityCommand(code, s.record.activityId, 'Įvesta du kartus', ctx(s.record.partner.actor));
    case 'verify-activity':
      return new VerifyActivityCommand(code, s.record.activityId, undefined, ctx(AUDITOR));
    case 'reject-activity':
      return new RejectActivityCommand(code, s.record.activityId, 'Nėra gavėjo parašo', ctx(AUDITOR));
    case 'lock-period':
      return new LockPeriodCommand(code, s.period, `Ketvirtis ${s.period} ataskaitoje`, ctx(AUDITOR));
    default:
      return expenditureCommandOf(code, s, ctx);
  }
}

function expenditureCommandOf(code: string, s: SimStep, ctx: (actor: Actor) => RequestContext): object {
  switch (s.kind) {
    case 'declare-expenditure': {
      const e = s.expenditure;
      return new DeclareExpenditureCommand(code, e.partner.id, e.fields, ctx(e.partner.actor), e.id);
    }
    case 'correct-expenditure': {
      const e = s.expenditure;
      const fields = { ...e.fields, amountCents: s.amountCents };
      return new CorrectExpenditureCommand(code, e.id, fields, 'Sąskaitos suma patikslinta', ctx(e.partner.actor));
    }
    case 'void-expenditure': {
      const e = s.expenditure;
      return new VoidExpenditureCommand(code, e.id, 'Priskirta ne tam projektui', ctx(e.partner.actor));
    }
    case 'verify-expenditure':
      return new VerifyExpenditureCommand(
        code,
        s.expenditure.id,
        s.eligibleCents,
        s.ineligibleCents,
        undefined,
        ctx(FINANCE),
        // An ineligible amount needs its reason code; the simulated invoices lack a supporting line.
        s.ineligibleCents > 0 ? 'no-supporting-document' : undefined,
      );
    default:
      throw new Error(`no command for the step ${s.kind}`);
  }
}
