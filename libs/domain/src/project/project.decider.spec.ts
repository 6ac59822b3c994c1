import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conflict, deciderSpec, invalid } from '@ihl/testing';
import fc from 'fast-check';
import { DomainConflictError, DomainNotFoundError, DomainValidationError } from '../shared/validation';
import { parseProjectDefinition, type Partner, type ProjectDefinition } from './project-definition';
import {
  allocationKey,
  datingContext,
  decideProject,
  evolveProject,
  foldProject,
  initialProjectState,
  totalAllocated,
  type ProjectCommand,
  type RegisteredProject,
} from './project.decider';
import type { ProjectEvent } from './project.events';

const { given } = deciderSpec({ decide: decideProject, evolve: evolveProject, initialState: initialProjectState });

const reference = JSON.parse(readFileSync(join(__dirname, '../../../../projects/07-003-P-0001.json'), 'utf8'));

describe('project definition', () => {
  it('parses the reference project with its facts', () => {
    const d = parseProjectDefinition(reference);
    expect(d.code).toBe('07-003-P-0001');
    expect(d.envelopeCents).toBe(4_394_021_200);
    expect(d.period).toEqual({ start: '2022-12-08', end: '2026-12-31' });
    expect(d.targets).toEqual([
      expect.objectContaining({ indicator: 'unique-persons-reached', value: 4018, deadline: '2026-12-31' }),
    ]);
    expect(d.partners).toEqual([
      {
        id: 'visaginas-spc',
        name: 'Visagino socialinių paslaugų centras',
        municipality: 'Visaginas',
        joinedOn: '2023-01-02',
      },
    ]);
  });

  const broken: [string, (r: Record<string, unknown>) => void, string, string][] = [
    ['float envelope', (r) => (r.envelope = 43940212), 'envelope', 'money'],
    ['envelope with one decimal', (r) => (r.envelope = '12.5'), 'envelope', 'money'],
    ['end before start', (r) => (r.period = { start: '2026-01-01', end: '2025-01-01' }), 'period.end', 'after-start'],
    ['impossible date', (r) => (r.period = { start: '2023-02-30', end: '2026-12-31' }), 'period.start', 'iso-date'],
    [
      'rates not 100 %',
      (r) => (r.coFinancing = { esfPlusBp: 8500, nationalBp: 1400 }),
      'coFinancing',
      'sum-100-percent',
    ],
    ['unknown field', (r) => (r.owner = 'x'), 'owner', 'unknown-field'],
    [
      'partner before start',
      (r) => (r.partners = [{ id: 'p', name: 'P', municipality: 'M', joinedOn: '2020-01-01' }]),
      'partners[0].joinedOn',
      'within-period',
    ],
    [
      'duplicate partner',
      (r) => (r.partners = [1, 2].map(() => ({ id: 'p', name: 'P', municipality: 'M', joinedOn: '2023-01-01' }))),
      'partners[1].id',
      'unique',
    ],
    [
      'target value 0',
      (r) =>
        (r.targets = [{ id: 't', title: 'T', indicator: 'unique-persons-reached', value: 0, deadline: '2026-12-31' }]),
      'targets[0].value',
      'positive-integer',
    ],
  ];
  it.each(broken)('refuses %s, naming the field and the rule', (_name, mutate, field, rule) => {
    const r = structuredClone(reference);
    mutate(r);
    try {
      parseProjectDefinition(r);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainValidationError);
      expect((e as DomainValidationError).issues).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, rule })]),
      );
    }
  });
});

describe('project decider', () => {
  const definition = parseProjectDefinition(reference);

  it('given no events, when RegisterProject, then ProjectRegistered', () => {
    given([])
      .when({ type: 'RegisterProject', definition })
      .then([{ type: 'ProjectRegistered', data: { definition } }]);
  });

  it('given the same definition registered, when RegisterProject again, then nothing new', () => {
    const reordered = JSON.parse(JSON.stringify({ ...definition, code: definition.code }));
    given([{ type: 'ProjectRegistered', data: { definition } }])
      .when({ type: 'RegisterProject', definition: reordered })
      .then([]);
  });

  it('given a registered project, when a different definition is registered, then a conflict', () => {
    given([{ type: 'ProjectRegistered', data: { definition } }])
      .when({ type: 'RegisterProject', definition: { ...definition, envelopeCents: 1 } })
      .thenThrows(DomainConflictError);
  });
});

// --- partners, allocations and period locks ---

const referenceDefinition = parseProjectDefinition(reference);
/** A small monthly project with a EUR 1,000.00 envelope, two partners and two categories. */
const small: ProjectDefinition = parseProjectDefinition({
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
  partners: [
    { id: 'p1', name: 'Partner one', municipality: 'M1', joinedOn: '2024-01-15' },
    { id: 'p2', name: 'Partner two', municipality: 'M2', joinedOn: '2024-03-01' },
  ],
  budgetCategories: [
    { id: 'staff', name: 'Staff' },
    { id: 'equipment', name: 'Equipment' },
  ],
  ageBands: [{ id: 'all', label: 'all', minAge: 0, maxAge: null }],
});

function givenProject(definition: ProjectDefinition, ...events: ProjectEvent[]) {
  const history = given([{ type: 'ProjectRegistered', data: { definition } }, ...events]);
  return {
    state: (): RegisteredProject => {
      const s = history.state();
      if (s.status !== 'registered') throw new Error('not registered');
      return s;
    },
    when: history.when,
  };
}

const utena: Partner = {
  id: 'utena-spc',
  name: 'Utenos socialinių paslaugų centras',
  municipality: 'Utena',
  joinedOn: '2023-06-01',
};
const allocationSet = (
  partnerId: string,
  categoryId: string,
  amountCents: number,
  previousCents = 0,
): ProjectEvent => ({
  type: 'AllocationSet',
  data: { partnerId, categoryId, amountCents, previousCents },
});
const allocate = (partnerId: string, categoryId: string, amountCents: number): ProjectCommand => ({
  type: 'SetAllocation',
  partnerId,
  categoryId,
  amountCents,
});
const ENVELOPE = 100_000; // small: EUR 1,000.00

describe('project decider: before registration', () => {
  it.each<[string, ProjectCommand]>([
    ['RegisterPartner', { type: 'RegisterPartner', partner: utena }],
    ['SetAllocation', allocate('visaginas-spc', 'staff', 1)],
    ['LockPeriod', { type: 'LockPeriod', periodId: '2024-Q1' }],
    ['ReopenPeriod', { type: 'ReopenPeriod', periodId: '2024-Q1', reason: 'late invoices' }],
  ])('given no events, when %s, then not found', (_name, command) => {
    given([]).when(command).thenThrows(DomainNotFoundError);
  });
});

describe('project decider: RegisterPartner', () => {
  const project = givenProject(referenceDefinition);

  it('given the project, when a new partner registers, then PartnerRegistered', () => {
    project
      .when({ type: 'RegisterPartner', partner: utena })
      .then([{ type: 'PartnerRegistered', data: { partner: utena } }]);
  });

  it('then the partner can date records from its join date', () => {
    const state = givenProject(referenceDefinition, { type: 'PartnerRegistered', data: { partner: utena } }).state();
    expect(state.partners.get('utena-spc')).toEqual(utena);
    expect(datingContext(state, 'utena-spc', '2024-05-15').partnerJoinedOn).toBe('2023-06-01');
    expect(datingContext(state, 'ghost-spc', '2024-05-15').partnerJoinedOn).toBeNull();
  });

  it('given the partner registered, when registered again with the same details, then nothing new', () => {
    const registered = givenProject(referenceDefinition, { type: 'PartnerRegistered', data: { partner: utena } });
    registered.when({ type: 'RegisterPartner', partner: { ...utena } }).then([]);
  });

  it('given a partner from the definition, when registered again identically, then nothing new', () => {
    project.when({ type: 'RegisterPartner', partner: referenceDefinition.partners[0]! }).then([]);
  });

  it('given the partner registered, when registered with other details, then a conflict', () => {
    const registered = givenProject(referenceDefinition, { type: 'PartnerRegistered', data: { partner: utena } });
    registered
      .when({ type: 'RegisterPartner', partner: { ...utena, joinedOn: '2023-07-01' } })
      .thenThrows(conflict('partner-exists'));
    project
      .when({ type: 'RegisterPartner', partner: { ...referenceDefinition.partners[0]!, name: 'Other' } })
      .thenThrows(conflict('partner-exists'));
  });

  it.each(['Utena SPC', 'utena_spc', '-utena', '', 'u'.repeat(64)])('refuses the id %p (slug rule)', (id) => {
    project.when({ type: 'RegisterPartner', partner: { ...utena, id } }).thenThrows(invalid('id', 'slug'));
  });

  it('accepts joining on the first and on the last day of the project', () => {
    expect(
      project.when({ type: 'RegisterPartner', partner: { ...utena, joinedOn: '2022-12-08' } }).events(),
    ).toHaveLength(1);
    expect(
      project.when({ type: 'RegisterPartner', partner: { ...utena, joinedOn: '2026-12-31' } }).events(),
    ).toHaveLength(1);
  });

  it.each(['2022-12-07', '2027-01-01', '2023-02-29', '01/06/2023', ''])(
    'refuses the join date %p (within the project period)',
    (joinedOn) => {
      project
        .when({ type: 'RegisterPartner', partner: { ...utena, joinedOn } })
        .thenThrows(invalid('joinedOn', 'within-project-period'));
    },
  );
});

describe('project decider: SetAllocation (invariant 4: never over the envelope)', () => {
  it('given the project, when an allocation is set, then AllocationSet with the previous amount 0', () => {
    givenProject(small)
      .when(allocate('p1', 'staff', 40_000))
      .then([allocationSet('p1', 'staff', 40_000)]);
  });

  it('given an allocation, when replaced, then AllocationSet with the previous amount', () => {
    const project = givenProject(small, allocationSet('p1', 'staff', 40_000));
    project.when(allocate('p1', 'staff', 25_000)).then([allocationSet('p1', 'staff', 25_000, 40_000)]);
  });

  it('given an allocation, when set to the same amount, then nothing new', () => {
    givenProject(small, allocationSet('p1', 'staff', 40_000))
      .when(allocate('p1', 'staff', 40_000))
      .then([]);
  });

  it('allows exactly the envelope in one allocation, refuses one cent more', () => {
    expect(
      givenProject(small)
        .when(allocate('p1', 'staff', ENVELOPE))
        .events(),
    ).toHaveLength(1);
    const e = givenProject(small)
      .when(allocate('p1', 'staff', ENVELOPE + 1))
      .thenThrows(invalid('amount', 'within-envelope'));
    expect(e.issues[0]!.message).toContain('by 0.01');
    expect(e.issues[0]!.value).toBe('1000.01');
  });

  it('allows exactly the envelope across partners and categories, refuses one cent more', () => {
    const project = givenProject(
      small,
      allocationSet('p1', 'staff', 33_333),
      allocationSet('p1', 'equipment', 33_333),
      allocationSet('p2', 'staff', 33_333),
    );
    project.when(allocate('p2', 'equipment', 1)).then([allocationSet('p2', 'equipment', 1)]);
    project.when(allocate('p2', 'equipment', 2)).thenThrows(invalid('amount', 'within-envelope'));
  });

  it('allows exactly the reference envelope EUR 43,940,212.00, refuses one cent more', () => {
    const project = givenProject(referenceDefinition, allocationSet('visaginas-spc', 'staff', 4_000_000_000));
    expect(project.when(allocate('visaginas-spc', 'equipment', 394_021_200)).events()).toHaveLength(1);
    project.when(allocate('visaginas-spc', 'equipment', 394_021_201)).thenThrows(invalid('amount', 'within-envelope'));
  });

  it('replacing an allocation counts only the difference', () => {
    // The whole envelope is allocated; raising p1/staff is possible only by what p1/staff itself gives back.
    const full = givenProject(small, allocationSet('p1', 'staff', 60_000), allocationSet('p2', 'staff', 40_000));
    full.when(allocate('p1', 'staff', 60_000)).then([]);
    full.when(allocate('p1', 'staff', 59_999)).then([allocationSet('p1', 'staff', 59_999, 60_000)]);
    full.when(allocate('p1', 'staff', 60_001)).thenThrows(invalid('amount', 'within-envelope'));
    // After lowering p2, p1 may take what was freed, to the cent.
    const freed = givenProject(
      small,
      allocationSet('p1', 'staff', 60_000),
      allocationSet('p2', 'staff', 40_000),
      allocationSet('p2', 'staff', 10_000, 40_000),
    );
    expect(totalAllocated(freed.state())).toBe(70_000);
    freed.when(allocate('p1', 'staff', 90_000)).then([allocationSet('p1', 'staff', 90_000, 60_000)]);
    freed.when(allocate('p1', 'staff', 90_001)).thenThrows(invalid('amount', 'within-envelope'));
  });

  it('allows setting an allocation back to zero', () => {
    const project = givenProject(small, allocationSet('p1', 'staff', ENVELOPE));
    project.when(allocate('p1', 'staff', 0)).then([allocationSet('p1', 'staff', 0, ENVELOPE)]);
  });

  it('refuses an unknown partner and an unknown category', () => {
    givenProject(small)
      .when(allocate('ghost', 'staff', 1))
      .thenThrows(invalid('partnerId', 'registered-partner'));
    givenProject(small)
      .when(allocate('p1', 'catering', 1))
      .thenThrows(invalid('categoryId', 'budget-category'));
  });

  it('accepts a partner registered after the project', () => {
    const project = givenProject(referenceDefinition, { type: 'PartnerRegistered', data: { partner: utena } });
    project
      .when(allocate('utena-spc', 'vehicles', 5_000_000))
      .then([allocationSet('utena-spc', 'vehicles', 5_000_000)]);
  });

  it.each([-1, 0.5, 1e16, Number.NaN])('refuses the amount %p', (amountCents) => {
    givenProject(small)
      .when(allocate('p1', 'staff', amountCents))
      .thenThrows(invalid('amount', 'money'));
  });

  it('property: folding the accepted events of any sequence of SetAllocation never exceeds the envelope', () => {
    const command = fc.record({
      partnerId: fc.constantFrom('p1', 'p2', 'ghost'),
      categoryId: fc.constantFrom('staff', 'equipment', 'catering'),
      // Around the envelope, so that the boundary is hit often.
      amountCents: fc.oneof(
        fc.integer({ min: 0, max: ENVELOPE + 10 }),
        fc.integer({ min: ENVELOPE / 2 - 5, max: ENVELOPE / 2 + 5 }),
        fc.constantFrom(0, 1, ENVELOPE, ENVELOPE + 1),
      ),
    });
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        const history: ProjectEvent[] = [{ type: 'ProjectRegistered', data: { definition: small } }];
        const model = new Map<string, number>();
        for (const c of commands) {
          let events: ProjectEvent[];
          try {
            events = given([...history])
              .when({ type: 'SetAllocation', ...c })
              .events();
          } catch (e) {
            expect(e).toBeInstanceOf(DomainValidationError);
            continue;
          }
          for (const e of events) {
            if (e.type !== 'AllocationSet') throw new Error(`unexpected ${e.type}`);
            // previousCents tells the truth about what was replaced.
            expect(e.data.previousCents).toBe(model.get(allocationKey(e.data.partnerId, e.data.categoryId)) ?? 0);
            model.set(allocationKey(e.data.partnerId, e.data.categoryId), e.data.amountCents);
          }
          history.push(...events);
          const state = foldProject(history) as RegisteredProject;
          const total = totalAllocated(state);
          expect(total).toBeLessThanOrEqual(ENVELOPE);
          // The total equals the sum of its parts exactly.
          expect(total).toBe([...model.values()].reduce((a, b) => a + b, 0));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: a refusal happens exactly when the new total would exceed the envelope', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: ENVELOPE }),
        fc.integer({ min: 0, max: ENVELOPE }),
        fc.integer({ min: 0, max: 2 * ENVELOPE }),
        (first, second, replacement) => {
          fc.pre(first + second <= ENVELOPE);
          const project = givenProject(
            small,
            allocationSet('p1', 'staff', first),
            allocationSet('p2', 'staff', second),
          );
          const fits = second + replacement <= ENVELOPE;
          if (fits) expect(() => project.when(allocate('p1', 'staff', replacement)).events()).not.toThrow();
          else project.when(allocate('p1', 'staff', replacement)).thenThrows(invalid('amount', 'within-envelope'));
        },
      ),
    );
  });
});

describe('project decider: LockPeriod / ReopenPeriod', () => {
  const quarterly = givenProject(referenceDefinition); // 2022-12-08..2026-12-31
  const monthly = givenProject(small); // 2024-01-15..2024-12-31

  it('given a quarterly project, when a quarter is locked, then PeriodLocked; again, nothing new', () => {
    quarterly
      .when({ type: 'LockPeriod', periodId: '2024-Q1' })
      .then([{ type: 'PeriodLocked', data: { periodId: '2024-Q1' } }]);
    const locked = givenProject(referenceDefinition, { type: 'PeriodLocked', data: { periodId: '2024-Q1' } });
    locked.when({ type: 'LockPeriod', periodId: '2024-Q1' }).then([]);
    expect(locked.state().lockedPeriods).toEqual(new Set(['2024-Q1']));
    expect(datingContext(locked.state(), 'visaginas-spc', '2024-05-15').lockedPeriods).toEqual(new Set(['2024-Q1']));
  });

  it('keeps the note given with a lock, and leaves it out when there is none', () => {
    quarterly
      .when({ type: 'LockPeriod', periodId: '2024-Q2', note: 'Q2 report submitted' })
      .then([{ type: 'PeriodLocked', data: { periodId: '2024-Q2', note: 'Q2 report submitted' } }]);
    expect(quarterly.when({ type: 'LockPeriod', periodId: '2024-Q2' }).events()[0]!.data).not.toHaveProperty('note');
  });

  it('accepts the quarters that overlap the project period at both ends', () => {
    expect(quarterly.when({ type: 'LockPeriod', periodId: '2022-Q4' }).events()).toHaveLength(1); // starts 2022-12-08
    expect(quarterly.when({ type: 'LockPeriod', periodId: '2026-Q4' }).events()).toHaveLength(1);
  });

  it.each(['2022-Q3', '2027-Q1'])('refuses the quarter %s outside the project period', (periodId) => {
    quarterly.when({ type: 'LockPeriod', periodId }).thenThrows(invalid('periodId', 'within-project-period'));
  });

  it.each(['2024-01', '2024-Q5', '2024-Q0', '2024Q1', ''])('refuses %p as a quarterly period id', (periodId) => {
    const e = quarterly.when({ type: 'LockPeriod', periodId }).thenThrows(invalid('periodId', 'period-id'));
    expect(e.issues[0]!.message).toContain('2023-Q1');
  });

  it('given a monthly project, months are locked; quarters and bad months are refused', () => {
    monthly
      .when({ type: 'LockPeriod', periodId: '2024-02' })
      .then([{ type: 'PeriodLocked', data: { periodId: '2024-02' } }]);
    expect(monthly.when({ type: 'LockPeriod', periodId: '2024-01' }).events()).toHaveLength(1); // starts 2024-01-15
    const e = monthly.when({ type: 'LockPeriod', periodId: '2024-Q1' }).thenThrows(invalid('periodId', 'period-id'));
    expect(e.issues[0]!.message).toContain('2023-01');
    monthly.when({ type: 'LockPeriod', periodId: '2024-13' }).thenThrows(invalid('periodId', 'period-id'));
    monthly.when({ type: 'LockPeriod', periodId: '2023-12' }).thenThrows(invalid('periodId', 'within-project-period'));
    monthly.when({ type: 'LockPeriod', periodId: '2025-01' }).thenThrows(invalid('periodId', 'within-project-period'));
  });

  it('given a locked period, when reopened with a reason, then PeriodReopened and the period is open again', () => {
    const locked: ProjectEvent = { type: 'PeriodLocked', data: { periodId: '2024-Q1' } };
    const project = givenProject(referenceDefinition, locked);
    const then = project
      .when({ type: 'ReopenPeriod', periodId: '2024-Q1', reason: 'late invoices from a partner' })
      .then([{ type: 'PeriodReopened', data: { periodId: '2024-Q1', reason: 'late invoices from a partner' } }]);
    const reopened = givenProject(referenceDefinition, locked, ...then);
    expect(reopened.state().lockedPeriods.size).toBe(0);
    // ...and it can be locked again.
    reopened.when({ type: 'LockPeriod', periodId: '2024-Q1' }).then([locked]);
  });

  it('given a monthly lock, reopening works with month ids', () => {
    const project = givenProject(small, { type: 'PeriodLocked', data: { periodId: '2024-02' } });
    project
      .when({ type: 'ReopenPeriod', periodId: '2024-02', reason: 'restatement of February' })
      .then([{ type: 'PeriodReopened', data: { periodId: '2024-02', reason: 'restatement of February' } }]);
    project
      .when({ type: 'ReopenPeriod', periodId: '2024-03', reason: 'wrong month' })
      .thenThrows(conflict('not-locked'));
  });

  it('given an open period, when reopened, then a conflict', () => {
    quarterly
      .when({ type: 'ReopenPeriod', periodId: '2024-Q1', reason: 'late invoices' })
      .thenThrows(conflict('not-locked'));
  });

  it.each([
    ['no reason', undefined],
    ['a two-letter reason', 'no'],
    ['a blank reason', '      '],
    ['a reason over 1000 characters', 'x'.repeat(1001)],
  ])('refuses a reopening with %s', (_label, reason) => {
    const project = givenProject(referenceDefinition, { type: 'PeriodLocked', data: { periodId: '2024-Q1' } });
    project
      .when({ type: 'ReopenPeriod', periodId: '2024-Q1', reason } as ProjectCommand)
      .thenThrows(invalid('reason', 'reason'));
  });

  it('refuses reopening a malformed or out-of-project period id', () => {
    const project = givenProject(referenceDefinition, { type: 'PeriodLocked', data: { periodId: '2024-Q1' } });
    project
      .when({ type: 'ReopenPeriod', periodId: '2024-01', reason: 'late' })
      .thenThrows(invalid('periodId', 'period-id'));
    project
      .when({ type: 'ReopenPeriod', periodId: '2021-Q1', reason: 'late' })
      .thenThrows(invalid('periodId', 'within-project-period'));
  });
});
