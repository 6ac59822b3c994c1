import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simplifiedCostLines, simplifiedCostTotals } from '../budget/simplified-cost-lines';
import { DomainValidationError } from '../shared/validation';
import { parseProjectDefinition } from './project-definition';
import { flatRateCents, unitCostCents } from './simplified-costs';

const REFERENCE = JSON.parse(readFileSync(join(__dirname, '../../../../projects/07-003-P-0001.json'), 'utf8'));
const SCO = {
  unitCosts: [
    {
      id: 'home-care-hour',
      title: 'Valanda slaugos namuose',
      categoryId: 'services',
      rate: '24.65',
      volume: 'service-hours',
      service: 'care',
      setting: 'home',
    },
    {
      id: 'training-participant-hour',
      title: 'Mokymų dalyvio valanda',
      categoryId: 'training',
      rate: '7.35',
      volume: 'training-participant-hours',
    },
  ],
  flatRates: [
    {
      id: 'indirect-15',
      title: 'Netiesioginės išlaidos',
      categoryId: 'indirect',
      percent: '15.00',
      baseCategories: ['staff'],
    },
  ],
};
const defined = (simplifiedCosts: unknown) => parseProjectDefinition({ ...REFERENCE, simplifiedCosts });

/** The issues (field, rule) a definition with these options is refused with. */
function refusal(simplifiedCosts: unknown): [string, string][] {
  try {
    defined(simplifiedCosts);
  } catch (e) {
    if (e instanceof DomainValidationError) return e.issues.map((i) => [i.field, i.rule]);
    throw e;
  }
  throw new Error('the definition was accepted');
}

describe('simplified cost options in the project definition', () => {
  it('given none, when the reference definition is read, then it has none (its shape is unchanged)', () => {
    expect(parseProjectDefinition(REFERENCE)).not.toHaveProperty('simplifiedCosts');
  });

  it('given unit costs and a flat rate, when read, then rates are cents and percentages basis points', () => {
    expect(defined(SCO).simplifiedCosts).toEqual({
      unitCosts: [
        {
          id: 'home-care-hour',
          title: 'Valanda slaugos namuose',
          categoryId: 'services',
          rateCents: 2465,
          volume: 'service-hours',
          service: 'care',
          setting: 'home',
        },
        {
          id: 'training-participant-hour',
          title: 'Mokymų dalyvio valanda',
          categoryId: 'training',
          rateCents: 735,
          volume: 'training-participant-hours',
        },
      ],
      flatRates: [
        {
          id: 'indirect-15',
          title: 'Netiesioginės išlaidos',
          categoryId: 'indirect',
          rateBp: 1500,
          baseCategories: ['staff'],
        },
      ],
    });
  });

  it.each([
    [
      'a typed amount instead of a rate',
      { unitCosts: [{ ...SCO.unitCosts[1], rate: 24.6 }] },
      'simplifiedCosts.unitCosts[0].rate',
      'money',
    ],
    [
      'a volume the ledger does not measure',
      { unitCosts: [{ ...SCO.unitCosts[1], volume: 'kilometres' }] },
      'simplifiedCosts.unitCosts[0].volume',
      'enum',
    ],
    [
      'a service filter on trainings',
      { unitCosts: [{ ...SCO.unitCosts[1], service: 'care' }] },
      'simplifiedCosts.unitCosts[0].service',
      'services-only',
    ],
    [
      'an unknown category',
      { unitCosts: [{ ...SCO.unitCosts[1], categoryId: 'travel' }] },
      'simplifiedCosts.unitCosts[0].categoryId',
      'budget-category',
    ],
    [
      'a typed amount field',
      { unitCosts: [{ ...SCO.unitCosts[1], amount: '100.00' }] },
      'simplifiedCosts.unitCosts[0].amount',
      'unknown-field',
    ],
    [
      'a percentage as a number',
      { flatRates: [{ ...SCO.flatRates[0], percent: 15 }] },
      'simplifiedCosts.flatRates[0].percent',
      'percent',
    ],
    [
      'a percentage over 100',
      { flatRates: [{ ...SCO.flatRates[0], percent: '100.01' }] },
      'simplifiedCosts.flatRates[0].percent',
      'percent',
    ],
    [
      'a base of its own category',
      { flatRates: [{ ...SCO.flatRates[0], baseCategories: ['indirect'] }] },
      'simplifiedCosts.flatRates[0].baseCategories',
      'not-own-category',
    ],
    [
      'no base',
      { flatRates: [{ ...SCO.flatRates[0], baseCategories: [] }] },
      'simplifiedCosts.flatRates[0].baseCategories',
      'budget-categories',
    ],
    [
      'a duplicate id',
      { unitCosts: [SCO.unitCosts[1]], flatRates: [{ ...SCO.flatRates[0], id: 'training-participant-hour' }] },
      'simplifiedCosts.flatRates[0].id',
      'unique',
    ],
    ['a typed lump sum field', { lumpSums: [{ rate: '1.00' }] }, 'simplifiedCosts.lumpSums[0].rate', 'unknown-field'],
  ])(
    'given %s, when the definition is read, then it is refused naming the field and rule',
    (_what, sco, field, rule) => {
      expect(refusal(sco)).toContainEqual([field, rule]);
    },
  );
});

describe('simplified cost amounts: computed, rounded half up once per option and partner', () => {
  it.each([
    // EUR 24.65 an hour: 90 minutes are EUR 36.975 → 36.98 (half up); 142 minutes EUR 58.3383… → 58.34.
    [2465, 90, 60, 3698n],
    [2465, 142, 60, 5834n],
    [2465, 0, 60, 0n],
    // EUR 7.35 a participant-hour: 12 participants × 8 h = 5760 participant-minutes → EUR 705.60.
    [735, 5760, 60, 70_560n],
  ])('rate %i cents × %i measured at %i a unit → %i cents', (rate, measured, perUnit, cents) => {
    expect(unitCostCents(rate, BigInt(measured), perUnit)).toBe(cents);
  });

  it.each([
    [133_334n, 1500, 20_000n], // 15 % of 1,333.34 = 200.001 → 200.00
    [10n, 1500, 2n], // 15 % of 0.10 = 0.015 → 0.02 (half up)
    [9n, 1500, 1n], // 0.0135 → 0.01
    [10n ** 20n, 1500, 15n * 10n ** 18n], // exact past 2^53
  ])('flat rate on %i cents at %i bp → %i cents', (base, bp, cents) => {
    expect(flatRateCents(base, bp)).toBe(cents);
  });

  it('the lines of two partners sum to the totals by partner, by category and in all, to the cent', () => {
    const sco = defined(SCO).simplifiedCosts!;
    const lines = simplifiedCostLines(sco, {
      volumeOf: (u) =>
        u.id === 'home-care-hour'
          ? [
              { partnerId: 'utena-spc', records: 2, measured: 142 },
              { partnerId: 'visaginas-spc', records: 1, measured: 90 },
            ]
          : [{ partnerId: 'visaginas-spc', records: 1, measured: 5760 }],
      baseOf: () => [
        { partnerId: 'utena-spc', records: 1, eligibleCents: 10n },
        { partnerId: 'visaginas-spc', records: 2, eligibleCents: 133_334n },
      ],
    });
    expect(lines.map((l) => [l.scoId, l.partnerId, l.amountCents])).toEqual([
      ['home-care-hour', 'utena-spc', 5834n],
      ['home-care-hour', 'visaginas-spc', 3698n],
      ['training-participant-hour', 'visaginas-spc', 70_560n],
      ['indirect-15', 'utena-spc', 2n],
      ['indirect-15', 'visaginas-spc', 20_000n],
    ]);
    const totals = simplifiedCostTotals(lines);
    expect(totals.total.amountCents).toBe(100_094n);
    expect(totals.byPartner['visaginas-spc']!.amountCents).toBe(94_258n);
    expect(totals.byPartner['utena-spc']!.amountCents).toBe(5836n);
    expect(totals.byCategory).toEqual({
      services: { amountCents: 9532n },
      training: { amountCents: 70_560n },
      indirect: { amountCents: 20_002n },
    });
  });

  it('a partner with no verified volume or base has no line', () => {
    const sco = defined(SCO).simplifiedCosts!;
    expect(simplifiedCostLines(sco, { volumeOf: () => [], baseOf: () => [] })).toEqual([]);
  });
});
