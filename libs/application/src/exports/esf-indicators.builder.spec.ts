import { parseProjectDefinition } from '@ihl/domain';
import { buildEsfIndicatorTable, type EsfIndicatorInput, type PersonsFigures } from './esf-indicators.builder';

const definition = parseProjectDefinition({
  code: 'T-1',
  title: 'Bandymas',
  titleEn: 'Test',
  implementingBody: 'Agency',
  fund: 'ESF+',
  period: { start: '2023-01-10', end: '2024-12-31' },
  currency: 'EUR',
  envelope: '1000.00',
  coFinancing: { esfPlusBp: 8500, nationalBp: 1500 },
  reportingPeriod: 'quarterly',
  targets: [
    { id: 'persons', title: 'Persons reached', indicator: 'unique-persons-reached', value: 10, deadline: '2024-12-31' },
  ],
  partners: [],
  budgetCategories: [{ id: 'staff', name: 'Staff' }],
  ageBands: [
    { id: 'under-18', label: 'under 18', minAge: 0, maxAge: 17 },
    { id: '18-29', label: '18-29', minAge: 18, maxAge: 29 },
    { id: '30-54', label: '30-54', minAge: 30, maxAge: 54 },
    { id: '55-plus', label: '55 and over', minAge: 55, maxAge: null },
  ],
});

const sex = (n: Partial<PersonsFigures['bySex']>) => ({ female: 0, male: 0, 'non-binary': 0, unknown: 0, ...n });
const disability = (n: Partial<PersonsFigures['byDisability']>) => ({ yes: 0, no: 0, unknown: 0, ...n });

// Partner a: a girl of 10 and a woman of 80 (Feb 2023), a man of 25 (Apr 2024);
// partner b: a man of 40 (May 2023) and a person whose profile was erased (Apr 2024); c: nobody.
const a: PersonsFigures = {
  reached: 3,
  bySex: { female: 2, male: 1, 'non-binary': 0, unknown: 0 },
  byDisability: { yes: 2, no: 1, unknown: 0 },
  byAgeAtEntry: { '10': 1, '25': 1, '80': 1 },
  newByMonth: { '2023-02': 2, '2024-04': 1 },
  entrantsByMonth: {
    '2023-02': { bySex: sex({ female: 2 }), byDisability: disability({ yes: 2 }), byAgeAtEntry: { '10': 1, '80': 1 } },
    '2024-04': { bySex: sex({ male: 1 }), byDisability: disability({ no: 1 }), byAgeAtEntry: { '25': 1 } },
  },
};
const b: PersonsFigures = {
  reached: 2,
  bySex: { female: 0, male: 1, 'non-binary': 0, unknown: 1 },
  byDisability: { yes: 1, no: 0, unknown: 1 },
  byAgeAtEntry: { '40': 1, unknown: 1 },
  newByMonth: { '2023-05': 1, '2024-04': 1 },
  entrantsByMonth: {
    '2023-05': { bySex: sex({ male: 1 }), byDisability: disability({ yes: 1 }), byAgeAtEntry: { '40': 1 } },
    '2024-04': { bySex: sex({ unknown: 1 }), byDisability: disability({ unknown: 1 }), byAgeAtEntry: { unknown: 1 } },
  },
};
const total: PersonsFigures = {
  reached: 5,
  bySex: { female: 2, male: 2, 'non-binary': 0, unknown: 1 },
  byDisability: { yes: 3, no: 1, unknown: 1 },
  byAgeAtEntry: { '10': 1, '25': 1, '40': 1, '80': 1, unknown: 1 },
  newByMonth: { '2023-02': 2, '2023-05': 1, '2024-04': 2 },
  entrantsByMonth: {
    ...a.entrantsByMonth,
    ...b.entrantsByMonth,
    '2024-04': {
      bySex: sex({ male: 1, unknown: 1 }),
      byDisability: disability({ no: 1, unknown: 1 }),
      byAgeAtEntry: { '25': 1, unknown: 1 },
    },
  },
};
const input: EsfIndicatorInput = {
  definition,
  position: 7,
  recordedAt: '2024-05-10T08:00:00.000Z',
  day: '2024-05-10',
  partnerId: null,
  partners: ['a', 'b', 'c'],
  total,
  perPartner: { a, b },
};

const flat = (rows: readonly { code: string | null; breakdown: string | null; value: number; byPartner: object }[]) =>
  rows.map((r) => [r.code, r.breakdown, r.value, Object.values(r.byPartner)]);

describe('buildEsfIndicatorTable', () => {
  const table = buildEsfIndicatorTable(input);

  it('the whole project: participants by gender, age band and disability, each per partner', () => {
    expect(flat(table.rows)).toEqual([
      ['EECO01', null, 5, [3, 2, 0]],
      ['EECO01', 'women', 2, [2, 0, 0]],
      ['EECO01', 'men', 2, [1, 1, 0]],
      ['EECO01', 'non-binary', 0, [0, 0, 0]],
      ['EECO01', 'gender unknown', 1, [0, 1, 0]],
      ['EECO06', null, 1, [1, 0, 0]],
      ['EECO07', null, 1, [1, 0, 0]],
      [null, null, 1, [0, 1, 0]],
      ['EECO08', null, 1, [1, 0, 0]],
      [null, null, 0, [0, 0, 0]],
      [null, null, 1, [0, 1, 0]],
      ['EECO12', null, 3, [2, 1, 0]],
      [null, null, 1, [1, 0, 0]],
      [null, null, 1, [0, 1, 0]],
      ['persons', null, 5, [3, 2, 0]],
    ]);
    expect(table.rows.map((r) => r.name)).toContain('Participants aged 30-54');
    expect(table.rows.find((r) => r.code === 'persons')).toMatchObject({ name: 'Persons reached', target: 10 });
    expect(table).toMatchObject({ projectCode: 'T-1', position: 7, partnerId: null, partners: ['a', 'b', 'c'] });
  });

  it('every breakdown sums to the participants, and partners sum to every figure', () => {
    const v = (i: number) => table.rows[i]!.value;
    expect(v(1) + v(2) + v(3) + v(4)).toBe(v(0));
    expect(v(5) + v(6) + v(7) + v(8) + v(9) + v(10)).toBe(v(0));
    expect(v(11) + v(12) + v(13)).toBe(v(0));
    for (const r of table.rows) expect(Object.values(r.byPartner).reduce((x, y) => x + y, 0)).toBe(r.value);
  });

  it('per quarter, the entrants by gender, age band and disability, each breakdown summing to the entrants', () => {
    const profile = (id: string) => flat(table.periods.find((p) => p.id === id)!.rows.slice(3));
    // 2023-Q1: the girl of 10 and the woman of 80, both with a disability, partner a.
    expect(profile('2023-Q1')).toEqual([
      ['EECO01', 'women', 2, [2, 0, 0]],
      ['EECO01', 'men', 0, [0, 0, 0]],
      ['EECO01', 'non-binary', 0, [0, 0, 0]],
      ['EECO01', 'gender unknown', 0, [0, 0, 0]],
      ['EECO06', null, 1, [1, 0, 0]],
      ['EECO07', null, 0, [0, 0, 0]],
      [null, null, 0, [0, 0, 0]],
      ['EECO08', null, 1, [1, 0, 0]],
      [null, null, 0, [0, 0, 0]],
      [null, null, 0, [0, 0, 0]],
      ['EECO12', null, 2, [2, 0, 0]],
      [null, null, 0, [0, 0, 0]],
      [null, null, 0, [0, 0, 0]],
    ]);
    // 2024-Q2: the man of 25 (a, no disability) and the erased person (b, all unknown).
    expect(profile('2024-Q2')).toEqual([
      ['EECO01', 'women', 0, [0, 0, 0]],
      ['EECO01', 'men', 1, [1, 0, 0]],
      ['EECO01', 'non-binary', 0, [0, 0, 0]],
      ['EECO01', 'gender unknown', 1, [0, 1, 0]],
      ['EECO06', null, 0, [0, 0, 0]],
      ['EECO07', null, 1, [1, 0, 0]],
      [null, null, 0, [0, 0, 0]],
      ['EECO08', null, 0, [0, 0, 0]],
      [null, null, 0, [0, 0, 0]],
      [null, null, 1, [0, 1, 0]],
      ['EECO12', null, 0, [0, 0, 0]],
      [null, null, 1, [1, 0, 0]],
      [null, null, 1, [0, 1, 0]],
    ]);
  });

  it('per quarter to the day of the table: entries per partner, and the project indicator cumulative', () => {
    expect(table.periods.map((p) => [p.id, p.start, p.end])).toEqual([
      ['2023-Q1', '2023-01-10', '2023-03-31'],
      ['2023-Q2', '2023-04-01', '2023-06-30'],
      ['2023-Q3', '2023-07-01', '2023-09-30'],
      ['2023-Q4', '2023-10-01', '2023-12-31'],
      ['2024-Q1', '2024-01-01', '2024-03-31'],
      ['2024-Q2', '2024-04-01', '2024-06-30'],
    ]);
    expect(table.periods.map((p) => flat(p.rows.slice(0, 3)))).toEqual([
      [
        ['EECO01', 'entered in period', 2, [2, 0, 0]],
        ['persons', 'entered in period', 2, [2, 0, 0]],
        ['persons', 'cumulative', 2, [2, 0, 0]],
      ],
      [
        ['EECO01', 'entered in period', 1, [0, 1, 0]],
        ['persons', 'entered in period', 1, [0, 1, 0]],
        ['persons', 'cumulative', 3, [2, 1, 0]],
      ],
      ...[0, 0, 0].map(() => [
        ['EECO01', 'entered in period', 0, [0, 0, 0]],
        ['persons', 'entered in period', 0, [0, 0, 0]],
        ['persons', 'cumulative', 3, [2, 1, 0]],
      ]),
      [
        ['EECO01', 'entered in period', 2, [1, 1, 0]],
        ['persons', 'entered in period', 2, [1, 1, 0]],
        ['persons', 'cumulative', 5, [3, 2, 0]],
      ],
    ]);
    const entered = table.periods.reduce((sum, p) => sum + p.rows[0]!.value, 0);
    expect(entered).toBe(table.rows[0]!.value);
  });

  it('the deadline period carries the target; nothing is reported before the project starts', () => {
    const late = buildEsfIndicatorTable({ ...input, day: '2025-02-01' });
    expect(late.periods.at(-1)).toMatchObject({ id: '2024-Q4', end: '2024-12-31' });
    expect(late.periods.at(-1)!.rows[2]).toMatchObject({ breakdown: 'cumulative', value: 5, target: 10 });
    expect(late.periods.slice(0, -1).every((p) => p.rows[2]!.target === null)).toBe(true);
    expect(buildEsfIndicatorTable({ ...input, day: '2023-01-01' }).periods).toEqual([]);
  });

  it('a partner’s table has its own column only', () => {
    const own = buildEsfIndicatorTable({ ...input, partnerId: 'b', partners: ['b'], total: b, perPartner: { b } });
    expect(own.rows[0]).toMatchObject({ value: 2, byPartner: { b: 2 } });
    expect(JSON.stringify(own)).not.toMatch(/"a"|"c"/);
  });
});
