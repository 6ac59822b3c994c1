import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseProjectDefinition, type ProjectDefinition } from '../project/project-definition';
import { datingContext, foldProject } from '../project/project.decider';
import type { ProjectEvent } from '../project/project.events';
import { IssueCollector } from '../shared/validation';
import type { ActivityFields, ActivityKind, EquipmentProcuredFields } from './activity-kinds';
import { checkDate, isLocked, validateActivityFields, type DatingContext } from './activity-validation';

// --- context: the reference project (2022-12-08..2026-12-31, quarterly, Visaginas joined 2023-01-02) ---

const reference = parseProjectDefinition(
  JSON.parse(readFileSync(join(__dirname, '../../../../projects/07-003-P-0001.json'), 'utf8')),
);
const VISAGINAS = 'visaginas-spc';
const TODAY = '2024-05-15';

function contextOf(
  definition: ProjectDefinition,
  partnerId: string,
  { locked = [] as string[], today = TODAY } = {},
): DatingContext {
  const events: ProjectEvent[] = [
    { type: 'ProjectRegistered', data: { definition } },
    ...locked.map((periodId): ProjectEvent => ({ type: 'PeriodLocked', data: { periodId } })),
  ];
  const state = foldProject(events);
  if (state.status !== 'registered') throw new Error('project not registered');
  return datingContext(state, partnerId, today);
}
const ctx = contextOf(reference, VISAGINAS);

/** A small monthly project, to check that locks follow the project's own reporting period. */
const monthly = parseProjectDefinition({
  code: 'T-M-1',
  title: 'Monthly test project',
  implementingBody: 'Test agency',
  fund: 'ESF+',
  period: { start: '2024-01-15', end: '2024-12-31' },
  currency: 'EUR',
  envelope: '1000.00',
  coFinancing: { esfPlusBp: 8500, nationalBp: 1500 },
  reportingPeriod: 'monthly',
  targets: [{ id: 't', title: 'T', indicator: 'unique-persons-reached', value: 10, deadline: '2024-12-31' }],
  partners: [{ id: 'p1', name: 'P1', municipality: 'M', joinedOn: '2024-01-15' }],
  budgetCategories: [{ id: 'staff', name: 'Staff' }],
  ageBands: [{ id: 'all', label: 'all', minAge: 0, maxAge: null }],
});

// --- one valid record of every kind, dated 2024-03-14 (2024-Q1) ---

const ON = '2024-03-14';
const VALID: { readonly [K in ActivityKind]: Extract<ActivityFields, { kind: K }> } = {
  'service-delivered': {
    kind: 'service-delivered',
    occurredOn: ON,
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 60,
    recipient: { pseudonym: 'p-8c1f2a', keyVersion: 1 },
    workerRef: 'W-017',
    teamRef: 'mobile_team.2',
  },
  'caregiver-consultation': {
    kind: 'caregiver-consultation',
    occurredOn: ON,
    topic: 'preparing-to-care',
    durationMinutes: 45,
    familyMembers: 2,
    workerRef: 'W-017',
  },
  'psychological-support': {
    kind: 'psychological-support',
    occurredOn: ON,
    recipientKind: 'family-caregiver',
    format: 'group',
    durationMinutes: 90,
    participants: 6,
  },
  'training-held': {
    kind: 'training-held',
    occurredOn: ON,
    trainingKind: 'competence',
    topic: 'Safe transfers and positioning',
    durationMinutes: 480,
    participants: 12,
  },
  'equipment-procured': {
    kind: 'equipment-procured',
    occurredOn: ON,
    category: 'nursing-aid',
    description: 'Adjustable nursing bed',
    quantity: 3,
    unitPriceCents: 33_333,
    totalCents: 99_999,
    supplier: 'UAB Slaugos priemonės',
    contractRef: 'SUT-2024/17',
  },
  'promotion-event': {
    kind: 'promotion-event',
    occurredOn: ON,
    audience: 'community',
    title: 'Open day of the integral-help team',
    attendees: 40,
  },
};
const KINDS = Object.keys(VALID) as ActivityKind[];

/** A record of `kind` with some fields replaced, possibly by values of the wrong type (as from a bulk file). */
const withFields = (kind: ActivityKind, patch: Record<string, unknown>): ActivityFields =>
  ({ ...VALID[kind], ...patch }) as unknown as ActivityFields;

const broken = (c: IssueCollector) => c.issues.map((i) => [i.field, i.rule]);

describe('activity field validation', () => {
  it.each(KINDS)('accepts a valid %s record', (kind) => {
    expect(validateActivityFields(VALID[kind], ctx).issues).toEqual([]);
  });

  it('accepts the optional references being absent', () => {
    const { workerRef: _w, teamRef: _t, ...service } = VALID['service-delivered'];
    expect(validateActivityFields(service, ctx).issues).toEqual([]);
    const { workerRef: _c, ...consultation } = VALID['caregiver-consultation'];
    expect(validateActivityFields(consultation, ctx).issues).toEqual([]);
  });

  it.each(['nursing', 'rehabilitation', 'care'])('accepts the service %s', (service) => {
    expect(validateActivityFields(withFields('service-delivered', { service }), ctx).issues).toEqual([]);
  });

  it.each(['disabled-child', 'disabled-adult', 'elderly'])('accepts the target group %s at home', (targetGroup) => {
    expect(validateActivityFields(withFields('service-delivered', { targetGroup }), ctx).issues).toEqual([]);
  });

  it.each(['disabled-person', 'elderly-person', 'family-caregiver', 'worker'])(
    'accepts psychological support for %s',
    (recipientKind) => {
      expect(validateActivityFields(withFields('psychological-support', { recipientKind }), ctx).issues).toEqual([]);
    },
  );

  it.each(['nursing-aid', 'equipment', 'device', 'vehicle'])('accepts the equipment category %s', (category) => {
    expect(validateActivityFields(withFields('equipment-procured', { category }), ctx).issues).toEqual([]);
  });

  it.each(['workers', 'family-members', 'community'])('accepts a promotion event for %s', (audience) => {
    expect(validateActivityFields(withFields('promotion-event', { audience }), ctx).issues).toEqual([]);
  });

  const long = (n: number) => 'x'.repeat(n);
  const rules: [ActivityKind, string, Record<string, unknown>, [string, string][]][] = [
    // service delivered
    ['service-delivered', 'an unknown service', { service: 'massage' }, [['service', 'enum']]],
    ['service-delivered', 'an unknown target group', { targetGroup: 'teenager' }, [['targetGroup', 'enum']]],
    ['service-delivered', 'an unknown setting', { setting: 'hospital' }, [['setting', 'enum']]],
    ['service-delivered', 'a zero duration', { durationMinutes: 0 }, [['durationMinutes', 'integer-range']]],
    ['service-delivered', 'a duration over a day', { durationMinutes: 1441 }, [['durationMinutes', 'integer-range']]],
    ['service-delivered', 'a fractional duration', { durationMinutes: 30.5 }, [['durationMinutes', 'integer-range']]],
    ['service-delivered', 'a duration as text', { durationMinutes: '60' }, [['durationMinutes', 'integer-range']]],
    [
      'service-delivered',
      'a worker name instead of a ref',
      { workerRef: 'Jonas Jonaitis' },
      [['workerRef', 'reference']],
    ],
    ['service-delivered', 'an empty team ref', { teamRef: '' }, [['teamRef', 'reference']]],
    ['service-delivered', 'a team ref of 65 characters', { teamRef: long(65) }, [['teamRef', 'reference']]],
    [
      'service-delivered',
      'pre-school for an elderly person',
      { setting: 'pre-school', targetGroup: 'elderly' },
      [['setting', 'pre-school-for-disabled-children']],
    ],
    [
      'service-delivered',
      'pre-school for a disabled adult',
      { setting: 'pre-school', targetGroup: 'disabled-adult' },
      [['setting', 'pre-school-for-disabled-children']],
    ],
    // caregiver consultation
    ['caregiver-consultation', 'an unknown topic', { topic: 'gardening' }, [['topic', 'enum']]],
    ['caregiver-consultation', 'a zero duration', { durationMinutes: 0 }, [['durationMinutes', 'integer-range']]],
    ['caregiver-consultation', 'no family member', { familyMembers: 0 }, [['familyMembers', 'integer-range']]],
    ['caregiver-consultation', '101 family members', { familyMembers: 101 }, [['familyMembers', 'integer-range']]],
    ['caregiver-consultation', 'a bad worker ref', { workerRef: 'a/b' }, [['workerRef', 'reference']]],
    // psychological support
    ['psychological-support', 'an unknown recipient kind', { recipientKind: 'neighbour' }, [['recipientKind', 'enum']]],
    ['psychological-support', 'an unknown format', { format: 'online' }, [['format', 'enum']]],
    [
      'psychological-support',
      'a duration over a day',
      { durationMinutes: 1441 },
      [['durationMinutes', 'integer-range']],
    ],
    ['psychological-support', 'a group of 501', { participants: 501 }, [['participants', 'integer-range']]],
    ['psychological-support', 'no participant', { participants: 0 }, [['participants', 'integer-range']]],
    [
      'psychological-support',
      'individual support for 2',
      { format: 'individual', participants: 2 },
      [['participants', 'individual-is-one']],
    ],
    ['psychological-support', 'a bad worker ref', { workerRef: '-starts-with-dash' }, [['workerRef', 'reference']]],
    // training held
    ['training-held', 'an unknown training kind', { trainingKind: 'induction' }, [['trainingKind', 'enum']]],
    ['training-held', 'a blank topic', { topic: '   ' }, [['topic', 'non-empty-string']]],
    ['training-held', 'a topic of 301 characters', { topic: long(301) }, [['topic', 'non-empty-string']]],
    ['training-held', 'over ten days of training', { durationMinutes: 14_401 }, [['durationMinutes', 'integer-range']]],
    ['training-held', 'no participant', { participants: 0 }, [['participants', 'integer-range']]],
    ['training-held', '10,001 participants', { participants: 10_001 }, [['participants', 'integer-range']]],
    // equipment procured
    ['equipment-procured', 'an unknown category', { category: 'furniture' }, [['category', 'enum']]],
    ['equipment-procured', 'an empty description', { description: '' }, [['description', 'non-empty-string']]],
    ['equipment-procured', 'a zero quantity', { quantity: 0, totalCents: 0 }, [['quantity', 'integer-range']]],
    ['equipment-procured', 'a fractional quantity', { quantity: 1.5 }, [['quantity', 'integer-range']]],
    ['equipment-procured', 'a zero unit price', { unitPriceCents: 0, totalCents: 0 }, [['unitPrice', 'money']]],
    ['equipment-procured', 'a float unit price', { unitPriceCents: 333.33 }, [['unitPrice', 'money']]],
    ['equipment-procured', 'a negative total', { totalCents: -99_999 }, [['total', 'money']]],
    ['equipment-procured', 'a float total', { totalCents: 999.99 }, [['total', 'money']]],
    ['equipment-procured', 'a total one cent short', { totalCents: 99_998 }, [['total', 'quantity-times-unit-price']]],
    [
      'equipment-procured',
      "a total over the project's envelope (sums of such would pass 2^53 cents)",
      { quantity: 1, unitPriceCents: 4_394_021_201, totalCents: 4_394_021_201 },
      [['total', 'within-envelope']],
    ],
    ['equipment-procured', 'a rounded-up total', { totalCents: 100_000 }, [['total', 'quantity-times-unit-price']]],
    ['equipment-procured', 'an empty supplier', { supplier: ' ' }, [['supplier', 'non-empty-string']]],
    [
      'equipment-procured',
      'a contract ref of 101 chars',
      { contractRef: long(101) },
      [['contractRef', 'non-empty-string']],
    ],
    // promotion event
    ['promotion-event', 'an unknown audience', { audience: 'press' }, [['audience', 'enum']]],
    ['promotion-event', 'an empty title', { title: '' }, [['title', 'non-empty-string']]],
    ['promotion-event', 'no attendee', { attendees: 0 }, [['attendees', 'integer-range']]],
    ['promotion-event', '100,001 attendees', { attendees: 100_001 }, [['attendees', 'integer-range']]],
  ];
  it.each(rules)('%s: refuses %s, naming the field and the rule', (kind, _label, patch, expected) => {
    expect(broken(validateActivityFields(withFields(kind, patch), ctx))).toEqual(expected);
  });

  it('reports every broken field at once, each with its value', () => {
    const c = validateActivityFields(
      withFields('promotion-event', { audience: 'press', title: '', attendees: -1, occurredOn: '2024-02-30' }),
      ctx,
    );
    expect(c.issues).toEqual([
      expect.objectContaining({ field: 'occurredOn', rule: 'iso-date', value: '2024-02-30' }),
      expect.objectContaining({ field: 'audience', rule: 'enum', value: 'press' }),
      expect.objectContaining({ field: 'title', rule: 'non-empty-string', value: '' }),
      expect.objectContaining({ field: 'attendees', rule: 'integer-range', value: -1 }),
    ]);
    expect(c.issues.every((i) => i.message.length > 0)).toBe(true);
  });

  it('accepts the upper bounds exactly', () => {
    const ok = (kind: ActivityKind, patch: Record<string, unknown>) =>
      expect(validateActivityFields(withFields(kind, patch), ctx).issues).toEqual([]);
    ok('service-delivered', { durationMinutes: 1440, workerRef: long(64) });
    ok('caregiver-consultation', { durationMinutes: 1, familyMembers: 100 });
    ok('psychological-support', { format: 'individual', participants: 1 });
    ok('psychological-support', { format: 'group', participants: 500 });
    ok('training-held', { durationMinutes: 14_400, participants: 10_000, topic: long(300) });
    ok('equipment-procured', { contractRef: long(100), description: long(300) });
    ok('promotion-event', { attendees: 100_000 });
  });

  describe('pre-school and age rules (recipientAgeYears: age on the service date)', () => {
    const preSchool = withFields('service-delivered', { setting: 'pre-school', targetGroup: 'disabled-child' });

    it.each([0, 3, 6])('accepts pre-school for a disabled child aged %i', (age) => {
      expect(validateActivityFields(preSchool, ctx, age).issues).toEqual([]);
    });

    it.each([7, 12, 17])('refuses pre-school for a disabled child aged %i', (age) => {
      expect(broken(validateActivityFields(preSchool, ctx, age))).toEqual([['setting', 'pre-school-under-7']]);
    });

    it('accepts a disabled child at home at 17, refuses at 18', () => {
      const child = withFields('service-delivered', { targetGroup: 'disabled-child' });
      expect(validateActivityFields(child, ctx, 17).issues).toEqual([]);
      expect(broken(validateActivityFields(child, ctx, 18))).toEqual([['targetGroup', 'child-under-18']]);
    });

    it('accepts a disabled adult at 18, refuses at 17', () => {
      const adult = withFields('service-delivered', { targetGroup: 'disabled-adult' });
      expect(validateActivityFields(adult, ctx, 18).issues).toEqual([]);
      expect(broken(validateActivityFields(adult, ctx, 17))).toEqual([['targetGroup', 'adult-18-or-over']]);
    });

    it('pre-school for a non-child is refused as such, whatever the age', () => {
      const elderly = withFields('service-delivered', { setting: 'pre-school', targetGroup: 'elderly' });
      expect(broken(validateActivityFields(elderly, ctx, 80))).toEqual([
        ['setting', 'pre-school-for-disabled-children'],
      ]);
    });

    it('pre-school for an 18-year-old "child" breaks both the pre-school and the child rule', () => {
      expect(broken(validateActivityFields(preSchool, ctx, 18))).toEqual([
        ['setting', 'pre-school-under-7'],
        ['targetGroup', 'child-under-18'],
      ]);
    });
  });

  describe('equipment: total = quantity × unit price, exactly, in cents', () => {
    // The arithmetic alone: totals up to 10^14 cents, beyond any envelope (that rule is tested above).
    const unbounded: DatingContext = { ...ctx, envelopeCents: undefined };
    const equipment = (quantity: number, unitPriceCents: number, totalCents: number) =>
      validateActivityFields(
        { ...VALID['equipment-procured'], quantity, unitPriceCents, totalCents } as EquipmentProcuredFields,
        unbounded,
      );

    it.each([
      [3, 33_333, 99_999], // 3 × 333.33 = 999.99 (not 1000.00)
      [3, 110, 330], // 3 × 1.10 = 3.30 (a float would say 3.3000000000000003)
      [7, 1_429, 10_003], // 7 × 14.29 = 100.03
      [10, 1, 10], // 10 × 0.01
      [100_000, 999_999_999, 99_999_999_900_000], // the largest quantity at EUR 9,999,999.99 each
    ])('accepts %i × %i cents = %i cents', (q, unit, total) => {
      expect(equipment(q, unit, total).issues).toEqual([]);
    });

    it('property: the exact product is accepted, one cent either side is refused', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 1_000_000_000 }), (q, unit) => {
          expect(equipment(q, unit, q * unit).issues).toEqual([]);
          expect(broken(equipment(q, unit, q * unit + 1))).toEqual([['total', 'quantity-times-unit-price']]);
          expect(broken(equipment(q, unit, q * unit - 1))).toEqual([['total', 'quantity-times-unit-price']]);
        }),
      );
    });
  });
});

describe('dating rules (invariant 1)', () => {
  const dated = (occurredOn: string, context: DatingContext = ctx) => {
    const c = new IssueCollector();
    checkDate(c, 'occurredOn', occurredOn, context);
    return broken(c);
  };

  it('accepts the first and last day a partner may use', () => {
    expect(dated('2023-01-02')).toEqual([]); // Visaginas joined 2023-01-02
    expect(dated(TODAY)).toEqual([]);
    expect(dated('2026-12-31', contextOf(reference, VISAGINAS, { today: '2027-03-01' }))).toEqual([]);
  });

  it.each([
    ['2024-02-30', 'iso-date'],
    ['2023-02-29', 'iso-date'],
    ['14.03.2024', 'iso-date'],
    ['', 'iso-date'],
    ['2022-12-07', 'within-project-period'],
    ['2027-01-01', 'within-project-period'],
    ['2024-05-16', 'not-in-future'],
    ['2023-01-01', 'on-or-after-partner-joined'],
    ['2022-12-08', 'on-or-after-partner-joined'],
  ])('refuses %p with occurredOn: %s', (date, rule) => {
    expect(dated(date)).toEqual([['occurredOn', rule]]);
  });

  it('refuses a date after the project end even when "today" is later', () => {
    expect(dated('2027-01-01', contextOf(reference, VISAGINAS, { today: '2027-06-01' }))).toEqual([
      ['occurredOn', 'within-project-period'],
    ]);
  });

  it('names partnerId when the partner is not registered in the project', () => {
    expect(dated('2024-03-14', contextOf(reference, 'ghost-spc'))).toEqual([['partnerId', 'registered-partner']]);
  });

  it('applies to every kind', () => {
    for (const kind of KINDS) {
      expect(broken(validateActivityFields(withFields(kind, { occurredOn: '2024-05-16' }), ctx))).toEqual([
        ['occurredOn', 'not-in-future'],
      ]);
    }
  });

  describe('locked periods follow the project reporting period', () => {
    it('quarterly: every day of a locked quarter is locked, its neighbours are not', () => {
      const locked = contextOf(reference, VISAGINAS, { locked: ['2024-Q1'] });
      expect(isLocked('2024-01-01', locked)).toBe(true);
      expect(isLocked('2024-02-29', locked)).toBe(true);
      expect(isLocked('2024-03-31', locked)).toBe(true);
      expect(isLocked('2023-12-31', locked)).toBe(false);
      expect(isLocked('2024-04-01', locked)).toBe(false);
      expect(isLocked('2024-03-31', ctx)).toBe(false);
    });

    it('monthly: a locked month does not lock the rest of its quarter', () => {
      const locked = contextOf(monthly, 'p1', { locked: ['2024-02'] });
      expect(isLocked('2024-02-01', locked)).toBe(true);
      expect(isLocked('2024-02-29', locked)).toBe(true);
      expect(isLocked('2024-01-31', locked)).toBe(false);
      expect(isLocked('2024-03-01', locked)).toBe(false);
    });
  });
});
