import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deciderSpec, invalid } from '@ihl/testing';
import type { DatingContext } from '../activity/activity-validation';
import type { ActivityActor } from '../activity/activity.decider';
import { parseProjectDefinition } from '../project/project-definition';
import { datingContext, foldProject } from '../project/project.decider';
import {
  decideExpenditure,
  evolveExpenditure,
  foldExpenditure,
  initialExpenditureState,
  type ExpenditureCommand,
} from './expenditure.decider';
import type { ExpenditureEvent, ExpenditureFields } from './expenditure.events';

// Issue #18 item 4: the detail finance verifies an expenditure against, and why a part is cut.

const definition = parseProjectDefinition(
  JSON.parse(readFileSync(join(__dirname, '../../../../projects/07-003-P-0001.json'), 'utf8')),
);
const BUDGET = { categories: definition.budgetCategories.map((c) => c.id), envelopeCents: definition.envelopeCents };
const state = foldProject([{ type: 'ProjectRegistered', data: { definition } }]);
if (state.status !== 'registered') throw new Error('project not registered');
const ctx: DatingContext = datingContext(state, 'visaginas-spc', '2024-05-15');
const visaginas: ActivityActor = { role: 'partner-submitter', partnerId: 'visaginas-spc' };
const finance: ActivityActor = { role: 'finance-officer' };

const invoice: ExpenditureFields = {
  categoryId: 'equipment',
  amountCents: 123_457,
  occurredOn: '2024-03-14',
  documentRef: 'PVM-SF-2024-0117',
  description: 'Two lifting aids for home nursing',
};
const detailed: ExpenditureFields = {
  ...invoice,
  documentDate: '2024-03-18',
  supplier: { name: 'UAB Slaugos technika', code: '302456789' },
  vatTreatment: 'non-recoverable',
};
const base = { expenditureId: 'e-0001', partnerId: 'visaginas-spc' };
const declare = (fields: ExpenditureFields): ExpenditureCommand => ({
  type: 'DeclareExpenditure',
  expenditureId: 'e-0001',
  projectCode: definition.code,
  partnerId: 'visaginas-spc',
  fields,
});
const declared = (fields: ExpenditureFields = invoice): ExpenditureEvent => ({
  type: 'ExpenditureDeclared',
  data: { ...base, projectCode: definition.code, fields },
});
const verify = (e: number, i: number, ineligibleReason?: string, note?: string): ExpenditureCommand => ({
  type: 'VerifyExpenditure',
  eligibleCents: e,
  ineligibleCents: i,
  ...(note === undefined ? {} : { note }),
  ...(ineligibleReason === undefined ? {} : { ineligibleReason }),
});

const { given } = deciderSpec({
  decide: (s, command: ExpenditureCommand, actor: ActivityActor = visaginas) =>
    decideExpenditure(s, command, actor, ctx, BUDGET),
  evolve: evolveExpenditure,
  initialState: initialExpenditureState,
});

describe('expenditure verification detail', () => {
  describe('document date, supplier, VAT treatment', () => {
    it('given nothing, when declared with the detail, then the declaration carries it', () => {
      given([])
        .when(declare(detailed))
        .then([declared(detailed)]);
    });
    it('given an old declaration without the detail, then it still folds', () => {
      expect(foldExpenditure([declared()])).toMatchObject({ fields: invoice });
    });
    it.each([
      ['a document date after today', { documentDate: '2024-05-16' }, 'documentDate', 'not-in-future'],
      ['a document date that is no date', { documentDate: '2024-02-30' }, 'documentDate', 'iso-date'],
      ['an empty supplier name', { supplier: { name: ' ' } }, 'supplier.name', 'non-empty-string'],
      [
        'a supplier code of 11 digits (a person)',
        { supplier: { name: 'J. J.', code: '38001010123' } },
        'supplier.code',
        'supplier-code',
      ],
      ['another VAT treatment', { vatTreatment: 'deductible' }, 'vatTreatment', 'enum'],
    ])('refuses %s, naming the field and rule', (_label, extra, field, rule) => {
      given([])
        .when(declare({ ...invoice, ...extra } as ExpenditureFields))
        .thenThrows(invalid(field, rule));
    });
  });

  describe('a reason from the code list for an ineligible amount', () => {
    it('given a declaration, when finance cuts a part with a reason, then the verdict carries the code', () => {
      const cut: ExpenditureEvent = {
        type: 'ExpenditureVerified',
        data: { ...base, eligibleCents: 100_000, ineligibleCents: 23_457, ineligibleReason: 'recoverable-vat' },
      };
      given([declared()])
        .when(verify(100_000, 23_457, 'recoverable-vat'), finance)
        .then([cut]);
      expect(foldExpenditure([declared(), cut])).toMatchObject({
        verification: { ineligibleCents: 23_457, ineligibleReason: 'recoverable-vat' },
      });
      // The same verdict again is a retry; the same split with another reason is a new verdict.
      given([declared(), cut])
        .when(verify(100_000, 23_457, 'recoverable-vat'), finance)
        .then([]);
      expect(
        given([declared(), cut])
          .when(verify(100_000, 23_457, 'not-paid'), finance)
          .events(),
      ).toHaveLength(1);
    });
    it("refuses a code not on the list, a reason without an ineligible amount, and 'other' without a note", () => {
      given([declared()])
        .when(verify(100_000, 23_457, 'too-expensive'), finance)
        .thenThrows(invalid('ineligibleReason', 'enum'));
      given([declared()])
        .when(verify(123_457, 0, 'not-paid'), finance)
        .thenThrows(invalid('ineligibleReason', 'with-ineligible-amount'));
      given([declared()])
        .when(verify(100_000, 23_457, 'other'), finance)
        .thenThrows(invalid('note', 'required'));
      expect(
        given([declared()])
          .when(verify(100_000, 23_457, 'other', 'a gift card, not a cost of the action'), finance)
          .events(),
      ).toHaveLength(1);
    });
  });
});
