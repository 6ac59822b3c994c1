import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conflict, deciderSpec, forbidden, invalid } from '@ihl/testing';
import fc from 'fast-check';
import type { DatingContext } from '../activity/activity-validation';
import type { ActivityActor } from '../activity/activity.decider';
import { parseProjectDefinition } from '../project/project-definition';
import { datingContext, foldProject } from '../project/project.decider';
import type { ProjectEvent } from '../project/project.events';
import { DomainNotFoundError, DomainValidationError } from '../shared/validation';
import {
  decideExpenditure,
  evolveExpenditure,
  foldExpenditure,
  initialExpenditureState,
  type ExpenditureCommand,
} from './expenditure.decider';
import type { ExpenditureEvent, ExpenditureFields } from './expenditure.events';

// --- the project: reference definition (2022-12-08..2026-12-31, quarterly) + a second partner ---

const definition = parseProjectDefinition(
  JSON.parse(readFileSync(join(__dirname, '../../../../projects/07-003-P-0001.json'), 'utf8')),
);
const PROJECT = definition.code;
const CATEGORIES = definition.budgetCategories.map((c) => c.id);
const BUDGET = { categories: CATEGORIES, envelopeCents: definition.envelopeCents }; // EUR 43,940,212.00
const VISAGINAS = 'visaginas-spc'; // joined 2023-01-02
const UTENA = 'utena-spc'; // joined 2023-06-01
const TODAY = '2024-05-15';

function ctxFor(partnerId: string, lockedPeriods: string[] = [], today = TODAY): DatingContext {
  const state = foldProject([
    { type: 'ProjectRegistered', data: { definition } },
    {
      type: 'PartnerRegistered',
      data: { partner: { id: UTENA, name: 'Utenos SPC', municipality: 'Utena', joinedOn: '2023-06-01' } },
    },
    ...lockedPeriods.map((periodId): ProjectEvent => ({ type: 'PeriodLocked', data: { periodId } })),
  ]);
  if (state.status !== 'registered') throw new Error('project not registered');
  return datingContext(state, partnerId, today);
}
const open = ctxFor(VISAGINAS);
const q1Locked = ctxFor(VISAGINAS, ['2024-Q1']);

const visaginas: ActivityActor = { role: 'partner-submitter', partnerId: VISAGINAS };
const utena: ActivityActor = { role: 'partner-submitter', partnerId: UTENA };
const agency: ActivityActor = { role: 'agency-auditor' };
const finance: ActivityActor = { role: 'finance-officer' };
const admin: ActivityActor = { role: 'admin' };

// --- an invoice of EUR 1,234.57 in 2024-Q1 ---

const ID = 'e-0001';
const invoice: ExpenditureFields = {
  categoryId: 'equipment',
  amountCents: 123_457,
  occurredOn: '2024-03-14',
  documentRef: 'PVM-SF-2024-0117',
  description: 'Two lifting aids for home nursing',
};
const amended: ExpenditureFields = { ...invoice, amountCents: 123_400, documentRef: 'PVM-SF-2024-0117-K' };
const base = { expenditureId: ID, partnerId: VISAGINAS };

const declare = (fields: ExpenditureFields = invoice, partnerId = VISAGINAS): ExpenditureCommand => ({
  type: 'DeclareExpenditure',
  expenditureId: ID,
  projectCode: PROJECT,
  partnerId,
  fields,
});
const declared = (fields: ExpenditureFields = invoice): ExpenditureEvent => ({
  type: 'ExpenditureDeclared',
  data: { ...base, projectCode: PROJECT, fields },
});
const correct = (fields: ExpenditureFields, reason = 'credit note received'): ExpenditureCommand => ({
  type: 'CorrectExpenditure',
  fields,
  reason,
});
const corrected = (fields: ExpenditureFields, previous: ExpenditureFields = invoice): ExpenditureEvent => ({
  type: 'ExpenditureCorrected',
  data: { ...base, fields, previous, reason: 'credit note received' },
});
const voided: ExpenditureEvent = { type: 'ExpenditureVoided', data: { ...base, reason: 'declared twice' } };
// An ineligible amount carries its reason code (required since issue #18).
const cutReason = (ineligibleCents: number) =>
  ineligibleCents > 0 ? { ineligibleReason: 'not-in-approved-budget' as const } : {};
const verify = (eligibleCents: number, ineligibleCents: number, note?: string): ExpenditureCommand => ({
  type: 'VerifyExpenditure',
  eligibleCents,
  ineligibleCents,
  ...(note === undefined ? {} : { note }),
  ...cutReason(ineligibleCents),
});
const verifiedAs = (eligibleCents: number, ineligibleCents: number): ExpenditureEvent => ({
  type: 'ExpenditureVerified',
  data: { ...base, eligibleCents, ineligibleCents, ...cutReason(ineligibleCents) },
});

const { given } = deciderSpec({
  decide: (state, command: ExpenditureCommand, actor: ActivityActor = visaginas, ctx: DatingContext = open) =>
    decideExpenditure(state, command, actor, ctx, BUDGET),
  evolve: evolveExpenditure,
  initialState: initialExpenditureState,
});

describe('expenditure decider', () => {
  describe('DeclareExpenditure', () => {
    it('given no events, when a partner declares a valid expenditure, then ExpenditureDeclared', () => {
      given([]).when(declare()).then([declared()]);
      expect(foldExpenditure([declared()])).toEqual({
        status: 'declared',
        expenditureId: ID,
        projectCode: PROJECT,
        partnerId: VISAGINAS,
        fields: invoice,
        verification: null,
      });
    });

    it.each(CATEGORIES)('accepts the budget category %s', (categoryId) => {
      expect(
        given([])
          .when(declare({ ...invoice, categoryId }))
          .events(),
      ).toHaveLength(1);
    });

    it('accepts one cent', () => {
      expect(
        given([])
          .when(declare({ ...invoice, amountCents: 1 }))
          .events(),
      ).toHaveLength(1);
    });

    it('accepts the whole envelope and refuses a cent more, naming the field, the rule and the envelope', () => {
      expect(
        given([])
          .when(declare({ ...invoice, amountCents: 4_394_021_200 }))
          .events(),
      ).toHaveLength(1);
      const e = given([])
        .when(declare({ ...invoice, amountCents: 4_394_021_201 }))
        .thenThrows();
      expect(e).toBeInstanceOf(DomainValidationError);
      expect((e as DomainValidationError).issues).toEqual([
        {
          field: 'amount',
          rule: 'within-envelope',
          message: "must not exceed the project's envelope of 43940212.00",
          value: '43940212.01',
        },
      ]);
      // The largest amount the API reads is refused too, in a project that cannot hold it.
      given([])
        .when(declare({ ...invoice, amountCents: 999_999_999_999_999 }))
        .thenThrows(invalid('amount', 'within-envelope'));
    });

    const long = (n: number) => 'x'.repeat(n);
    it.each([
      ['an unknown category', { categoryId: 'catering' }, 'categoryId', 'budget-category'],
      ['a zero amount', { amountCents: 0 }, 'amount', 'money'],
      ['a negative amount', { amountCents: -100 }, 'amount', 'money'],
      ['a float amount', { amountCents: 1234.57 }, 'amount', 'money'],
      ['an amount as text', { amountCents: '1234.57' }, 'amount', 'money'],
      ['an impossible date', { occurredOn: '2024-02-30' }, 'occurredOn', 'iso-date'],
      ['a date before the project', { occurredOn: '2022-12-07' }, 'occurredOn', 'within-project-period'],
      ['a date in the future', { occurredOn: '2024-05-16' }, 'occurredOn', 'not-in-future'],
      ['a date before the partner joined', { occurredOn: '2022-12-31' }, 'occurredOn', 'on-or-after-partner-joined'],
      ['no document', { documentRef: ' ' }, 'documentRef', 'non-empty-string'],
      ['a document ref of 101 characters', { documentRef: long(101) }, 'documentRef', 'non-empty-string'],
      ['no description', { description: '' }, 'description', 'non-empty-string'],
      ['a description of 501 characters', { description: long(501) }, 'description', 'non-empty-string'],
    ])('refuses %s, naming the field and the rule', (_label, patch, field, rule) => {
      given([])
        .when(declare({ ...invoice, ...patch } as unknown as ExpenditureFields))
        .thenThrows(invalid(field, rule));
    });

    it('accepts a document ref of 100 and a description of 500 characters', () => {
      expect(
        given([])
          .when(declare({ ...invoice, documentRef: long(100), description: long(500) }))
          .events(),
      ).toHaveLength(1);
    });

    // Issue #18: a late invoice is declared in the next open period (was: refused with period-not-locked).
    it('given Q1 locked, when an invoice dated in Q1 is declared, then it is a late entry reported in Q2', () => {
      const late: ExpenditureEvent = {
        type: 'ExpenditureDeclared',
        data: { ...base, projectCode: PROJECT, fields: invoice, reportedIn: '2024-Q2' },
      };
      given([]).when(declare(), visaginas, q1Locked).then([late]);
      expect(foldExpenditure([late])).toMatchObject({ reportedIn: '2024-Q2', fields: invoice });
      given([late]).when(declare(), visaginas, q1Locked).then([]);
      // Once its reported period (Q2) is locked too, the report that carries it is closed.
      const both = ctxFor(VISAGINAS, ['2024-Q1', '2024-Q2'], '2024-07-10');
      given([late]).when(correct(amended), visaginas, both).thenThrows(conflict('period-locked'));
    });
    it('given a late invoice reported in open Q2, when it is corrected or voided, then that is done normally', () => {
      const late: ExpenditureEvent = {
        type: 'ExpenditureDeclared',
        data: { ...base, projectCode: PROJECT, fields: invoice, reportedIn: '2024-Q2' },
      };
      given([late])
        .when(correct(amended), visaginas, q1Locked)
        .then([corrected(amended)]);
      given([late]).when({ type: 'VoidExpenditure', reason: 'declared twice' }, visaginas, q1Locked).then([voided]);
      const both = ctxFor(VISAGINAS, ['2024-Q1', '2024-Q2'], '2024-07-10');
      given([late])
        .when({ type: 'VoidExpenditure', reason: 'declared twice' }, visaginas, both)
        .thenThrows(conflict('period-locked'));
    });
    it('given an invoice of Q1 reported in Q1, when Q1 is locked, then its correction and void are still refused', () => {
      const onTime: ExpenditureEvent = {
        type: 'ExpenditureDeclared',
        data: { ...base, projectCode: PROJECT, fields: invoice },
      };
      given([onTime]).when(correct(amended), visaginas, q1Locked).thenThrows(conflict('period-locked'));
      given([onTime])
        .when({ type: 'VoidExpenditure', reason: 'declared twice' }, visaginas, q1Locked)
        .thenThrows(conflict('period-locked'));
    });
    it('given Q1 locked, an invoice dated in Q2 is no late entry', () => {
      expect(
        given([])
          .when(declare({ ...invoice, occurredOn: '2024-04-02' }), visaginas, q1Locked)
          .events(),
      ).toHaveLength(1);
    });

    it('refuses a partner that is not registered in the project', () => {
      const ghost: ActivityActor = { role: 'partner-submitter', partnerId: 'ghost-spc' };
      given([])
        .when(declare(invoice, 'ghost-spc'), ghost, ctxFor('ghost-spc'))
        .thenThrows(invalid('partnerId', 'registered-partner'));
    });

    it.each([
      ['another partner', utena],
      ['finance staff', finance],
      ['the agency', agency],
      ['an administrator', admin],
    ])("refuses %s declaring in Visaginas's name", (_label, actor) => {
      given([]).when(declare(), actor).thenThrows(invalid('partnerId', 'own-partner'));
    });

    it('given the declaration, when the same arrives again, then nothing new; with other values, a conflict', () => {
      given([declared()]).when(declare()).then([]);
      given([declared()]).when(declare(amended)).thenThrows(conflict('expenditure-id-taken'));
    });
  });

  describe('CorrectExpenditure', () => {
    it('given a declaration, when corrected with a reason, then ExpenditureCorrected with the previous values', () => {
      given([declared()])
        .when(correct(amended))
        .then([corrected(amended)]);
    });

    it('given a verified declaration, when corrected, then the verification is cleared', () => {
      const history = [declared(), verifiedAs(100_000, 23_457)];
      expect(foldExpenditure(history)).toMatchObject({
        verification: { eligibleCents: 100_000, ineligibleCents: 23_457 },
      });
      const then = given(history)
        .when(correct(amended))
        .then([corrected(amended)]);
      expect(foldExpenditure([...history, ...then])).toMatchObject({ fields: amended, verification: null });
    });

    it('after a correction the same split must be verified again (and must fit the new amount)', () => {
      const history = [declared(), verifiedAs(123_457, 0), corrected(amended)];
      given(history).when(verify(123_457, 0), finance).thenThrows(invalid('eligible', 'parts-sum-to-declared'));
      given(history)
        .when(verify(123_400, 0), finance)
        .then([verifiedAs(123_400, 0)]);
    });

    it('given a declaration, when the correction changes nothing, then nothing new', () => {
      given([declared()]).when(correct(invoice)).then([]);
    });

    it('refuses a correction without a reason', () => {
      given([declared()]).when(correct(amended, 'no')).thenThrows(invalid('reason', 'reason'));
    });

    it('refuses corrected values that break a rule', () => {
      given([declared()])
        .when(correct({ ...amended, amountCents: 0 }))
        .thenThrows(invalid('amount', 'money'));
      given([declared()])
        .when(correct({ ...amended, amountCents: 4_394_021_201 }))
        .thenThrows(invalid('amount', 'within-envelope'));
    });

    it('refuses a correction touching a locked period, whether from or into it', () => {
      given([declared()]).when(correct(amended), visaginas, q1Locked).thenThrows(conflict('period-locked'));
      const april = { ...invoice, occurredOn: '2024-04-02' };
      given([declared(april)])
        .when(correct({ ...april, occurredOn: '2024-03-29' }), visaginas, q1Locked)
        .thenThrows(conflict('period-locked'));
    });

    it('given a voided declaration, when corrected, then a conflict', () => {
      given([declared(), voided]).when(correct(amended)).thenThrows(conflict('voided'));
    });

    it.each([
      ['finance staff', finance],
      ['the agency', agency],
    ])('refuses a correction by %s', (_label, actor) => {
      given([declared()]).when(correct(amended), actor).thenThrows(forbidden('partner-only'));
    });
  });

  describe('VoidExpenditure', () => {
    it('given a declaration, when voided with a reason, then ExpenditureVoided; again, nothing new', () => {
      given([declared()]).when({ type: 'VoidExpenditure', reason: 'declared twice' }).then([voided]);
      given([declared(), voided]).when({ type: 'VoidExpenditure', reason: 'declared twice' }).then([]);
      expect(foldExpenditure([declared(), voided])).toMatchObject({ status: 'voided' });
    });

    it('refuses a void without a reason', () => {
      given([declared()]).when({ type: 'VoidExpenditure', reason: '' }).thenThrows(invalid('reason', 'reason'));
    });

    it('refuses a void in a locked period', () => {
      given([declared()])
        .when({ type: 'VoidExpenditure', reason: 'declared twice' }, visaginas, q1Locked)
        .thenThrows(conflict('period-locked'));
    });

    it('refuses a void by finance staff', () => {
      given([declared()])
        .when({ type: 'VoidExpenditure', reason: 'declared twice' }, finance)
        .thenThrows(forbidden('partner-only'));
    });
  });

  describe('VerifyExpenditure (finance staff only)', () => {
    it('given a declaration, when finance splits it into eligible + ineligible = declared, then ExpenditureVerified', () => {
      given([declared()])
        .when(verify(100_000, 23_457), finance)
        .then([verifiedAs(100_000, 23_457)]);
    });

    it('accepts all eligible, all ineligible, and keeps a note', () => {
      given([declared()])
        .when(verify(123_457, 0), finance)
        .then([verifiedAs(123_457, 0)]);
      given([declared()])
        .when(verify(0, 123_457), finance)
        .then([verifiedAs(0, 123_457)]);
      given([declared()])
        .when(verify(123_456, 1, 'one cent of rounding on the VAT line'), finance)
        .then([
          {
            type: 'ExpenditureVerified',
            data: {
              ...base,
              eligibleCents: 123_456,
              ineligibleCents: 1,
              note: 'one cent of rounding on the VAT line',
              ...cutReason(1),
            },
          },
        ]);
    });

    it('given a declaration, when finance cuts an amount without a reason code, then it is refused naming ineligibleReason; with none cut, none is needed', () => {
      given([declared()])
        .when({ type: 'VerifyExpenditure', eligibleCents: 123_456, ineligibleCents: 1 }, finance)
        .thenThrows(invalid('ineligibleReason', 'required'));
      given([declared()])
        .when({ type: 'VerifyExpenditure', eligibleCents: 123_457, ineligibleCents: 0 }, finance)
        .then([verifiedAs(123_457, 0)]);
    });

    it('given a verdict recorded before the reason was required (none on its cut), then it still reads', () => {
      const old: ExpenditureEvent = {
        type: 'ExpenditureVerified',
        data: { ...base, eligibleCents: 100_000, ineligibleCents: 23_457 },
      };
      expect(given([declared(), old]).state()).toMatchObject({
        verification: { eligibleCents: 100_000, ineligibleCents: 23_457 },
      });
    });

    it.each([
      ['one cent short', 123_456, 0],
      ['one cent over (verified would exceed declared)', 123_458, 0],
      ['whose parts sum to one cent over', 100_000, 23_458],
    ])('refuses a split %s', (_label, eligible, ineligible) => {
      given([declared()])
        .when(verify(eligible, ineligible), finance)
        .thenThrows(invalid('eligible', 'parts-sum-to-declared'));
    });

    it.each([
      ['a negative part', 123_458, -1, ['ineligible']],
      ['a fractional part', 123_456.5, 0.5, ['eligible', 'ineligible']],
      ['a part as text', '1234.57', 0, ['eligible']],
    ])('refuses %s as not an amount, naming the part', (_label, eligible, ineligible, fields) => {
      const e = given([declared()])
        .when(verify(eligible as number, ineligible as number), finance)
        .thenThrows();
      expect(e).toBeInstanceOf(DomainValidationError);
      expect((e as DomainValidationError).issues.map((i) => [i.field, i.rule])).toEqual(
        (fields as string[]).map((f) => [f, 'money']),
      );
    });

    it('given the same split already verified, then nothing new; a different split is a new verdict', () => {
      const history = [declared(), verifiedAs(100_000, 23_457)];
      given(history).when(verify(100_000, 23_457), finance).then([]);
      given(history)
        .when(verify(90_000, 33_457), finance)
        .then([verifiedAs(90_000, 33_457)]);
    });

    it('verifies a declaration in a locked period (finance checks after the lock)', () => {
      given([declared()])
        .when(verify(123_457, 0), finance, q1Locked)
        .then([verifiedAs(123_457, 0)]);
    });

    it('given a voided declaration, when verified, then a conflict', () => {
      given([declared(), voided]).when(verify(123_457, 0), finance).thenThrows(conflict('voided'));
    });

    it.each([
      ['the declaring partner', visaginas],
      ['the agency', agency],
      ['an administrator', admin],
    ])('refuses verification by %s', (_label, actor) => {
      given([declared()]).when(verify(123_457, 0), actor).thenThrows(forbidden('finance-only'));
    });

    it('property: a verdict is accepted exactly when its parts sum to the declared amount, so verified <= declared', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 10_000_000_000 }),
          fc.integer({ min: 0, max: 10_000_000_001 }),
          fc.integer({ min: 0, max: 10_000_000_001 }),
          fc.boolean(),
          (amountCents, a, b, exact) => {
            // Half the cases split the declared amount exactly, the others are arbitrary pairs.
            const eligible = exact ? a % (amountCents + 1) : a;
            const ineligible = exact ? amountCents - eligible : b;
            const history = [declared({ ...invoice, amountCents })];
            let events: ExpenditureEvent[];
            try {
              events = given(history).when(verify(eligible, ineligible), finance).events();
            } catch (e) {
              expect(e).toBeInstanceOf(DomainValidationError);
              expect(eligible + ineligible).not.toBe(amountCents);
              return;
            }
            expect(eligible + ineligible).toBe(amountCents);
            const state = foldExpenditure([...history, ...events]);
            if (state.status === 'none' || !state.verification) throw new Error('not verified');
            expect(state.verification.eligibleCents).toBeLessThanOrEqual(state.fields.amountCents);
            expect(state.verification.eligibleCents + state.verification.ineligibleCents).toBe(
              state.fields.amountCents,
            );
          },
        ),
      );
    });
  });

  describe("another partner's expenditure (invariant 2): never learns it exists", () => {
    it.each([
      ['CorrectExpenditure', correct(amended)],
      ['VoidExpenditure', { type: 'VoidExpenditure', reason: 'not ours' } as ExpenditureCommand],
      ['VerifyExpenditure', verify(123_457, 0)],
    ])('%s by another partner is answered as for an id that does not exist', (_name, command) => {
      const utenaCtx = ctxFor(UTENA);
      const onTheirs = given([declared()]).when(command, utena, utenaCtx).thenThrows();
      const onNothing = given([]).when(command, utena, utenaCtx).thenThrows();
      expect(onTheirs).toBeInstanceOf(DomainNotFoundError);
      expect(onNothing).toBeInstanceOf(DomainNotFoundError);
      expect(onTheirs.message).toBe(onNothing.message);
    });
  });
});
