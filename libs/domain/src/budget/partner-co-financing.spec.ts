import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseProjectDefinition } from '../project/project-definition';
import { DomainValidationError } from '../shared/validation';
import { partnerCoFinancing, partnerShares } from './budget-figures';

const REFERENCE = JSON.parse(readFileSync(join(__dirname, '../../../../projects/07-003-P-0001.json'), 'utf8'));
const withSplit = (coFinancing: unknown) => ({
  ...REFERENCE,
  partners: [{ ...REFERENCE.partners[0], coFinancing }],
});
const issuesOf = (raw: unknown) => {
  try {
    parseProjectDefinition(raw);
  } catch (e) {
    return (e as DomainValidationError).issues.map((i) => [i.field, i.rule]);
  }
  return [];
};

describe("a partner's own co-financing split", () => {
  it('given a definition with a partner split summing to 100 %, then the partner carries it', () => {
    const def = parseProjectDefinition(withSplit({ esfPlusBp: 8000, nationalBp: 1500, ownBp: 500 }));
    expect(def.partners[0]!.coFinancing).toEqual({ esfPlusBp: 8000, nationalBp: 1500, ownBp: 500 });
    expect(partnerCoFinancing(def, def.partners[0])).toEqual({ esfPlusBp: 8000, nationalBp: 1500, ownBp: 500 });
  });
  it("given none, then the project's split with no own part", () => {
    const def = parseProjectDefinition(REFERENCE);
    expect(def.partners[0]!.coFinancing).toBeUndefined();
    expect(partnerCoFinancing(def, def.partners[0])).toEqual({ esfPlusBp: 8500, nationalBp: 1500, ownBp: 0 });
    expect(partnerCoFinancing(def, undefined)).toEqual({ esfPlusBp: 8500, nationalBp: 1500, ownBp: 0 });
  });
  it('refuses a split that is not 100 % or not whole basis points, naming the partner', () => {
    expect(issuesOf(withSplit({ esfPlusBp: 8000, nationalBp: 1500, ownBp: 400 }))).toEqual([
      ['partners[0].coFinancing', 'sum-100-percent'],
    ]);
    expect(issuesOf(withSplit({ esfPlusBp: 8000, nationalBp: 1500, ownBp: 4.5 }))).toEqual([
      ['partners[0].coFinancing', 'basis-points'],
    ]);
    expect(issuesOf(withSplit({ esfPlusBp: 8000, nationalBp: 2000 }))).toEqual([
      ['partners[0].coFinancing', 'basis-points'],
    ]);
  });
  it('property: the three parts sum to the eligible amount exactly, each within a cent of its rate', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (eligible, a, b) => {
          const [esf, nat] = [Math.min(a, b), Math.max(a, b) - Math.min(a, b)];
          const rates = { esfPlusBp: esf, nationalBp: nat, ownBp: 10_000 - esf - nat };
          const s = partnerShares(eligible, rates);
          expect(s.esfPlusCents + s.nationalCents + s.ownCents).toBe(eligible);
          const exact = (eligible * BigInt(rates.ownBp)) / 10_000n;
          expect(s.ownCents >= exact - 1n && s.ownCents <= exact + 1n).toBe(true);
        },
      ),
    );
  });
});
