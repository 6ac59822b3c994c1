import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainValidationError, parseProjectDefinition } from '@ihl/domain';
import { planSimulation, type SimStep, type SimulationPlan } from '@ihl/simulation';

const definition = parseProjectDefinition(
  JSON.parse(readFileSync(join(__dirname, '../../../projects/07-003-P-0001.json'), 'utf8')),
);
const TARGET = 4018;
const ENVELOPE = definition.envelopeCents;

function datesOf(s: SimStep): string[] {
  if (s.kind === 'record-batch') return s.items.map((i) => i.input.occurredOn);
  if (s.kind === 'declare-expenditure') return [s.expenditure.fields.occurredOn];
  return [];
}

describe('the scale-1 plan (what `ledger simulate --scale 1` sends, not written here)', () => {
  let full: SimulationPlan;
  let today: SimulationPlan;
  beforeAll(() => {
    full = planSimulation(definition, { scale: 1, seed: 1, until: '2026-12-31' });
    today = planSimulation(definition, { scale: 1, seed: 1, until: '2026-12-05' });
  });

  it('reaches the 4,018 persons and spends the envelope within 5 % by the end of 2026', () => {
    const f = full.figures;
    expect(Math.abs(f.personsReached - TARGET) / TARGET).toBeLessThanOrEqual(0.05);
    expect(Math.abs(f.declaredCents - ENVELOPE) / ENVELOPE).toBeLessThanOrEqual(0.05);
    expect(f.allocatedCents).toBeLessThanOrEqual(ENVELOPE);
    expect(f.eligibleCents + f.ineligibleCents).toBe(f.declaredCents);
  });

  it('gets there close to the deadline, not early: a few weeks before the end it is still short', () => {
    const f = today.figures;
    expect(f.personsReached).toBeLessThan(full.figures.personsReached);
    expect(f.personsReached).toBeGreaterThan(TARGET * 0.95);
    expect(f.declaredCents).toBeLessThan(full.figures.declaredCents);
  });

  it("uses the project's partners and categories, and dates every record within the project and its partner's time", () => {
    const categories = new Set(definition.budgetCategories.map((c) => c.id));
    const joined = new Map<string, string>(definition.partners.map((p) => [p.id, p.joinedOn]));
    const wrong: string[] = [];
    expect(full.figures.partners).toBe(60);
    for (const group of full.groups) {
      for (const s of group.steps) {
        if (s.kind === 'register-partner') joined.set(s.partner.id, s.partner.joinedOn);
        if (s.kind === 'allocate' && !categories.has(s.categoryId)) wrong.push(`category ${s.categoryId}`);
        if (s.kind === 'declare-expenditure' && !categories.has(s.expenditure.fields.categoryId))
          wrong.push(`category ${s.expenditure.fields.categoryId}`);
        const partner = 'partner' in s ? s.partner.id : undefined;
        for (const d of datesOf(s)) {
          if (d < definition.period.start || d > '2026-12-31') wrong.push(`${d} outside the project`);
          if (partner && d < joined.get(partner)!) wrong.push(`${d} before ${partner} joined`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(joined.get('visaginas-spc')).toBe('2023-01-02');
    expect([...joined.values()].every((d) => d >= '2023-01-02')).toBe(true);
  });

  it('sends nothing after its last day and keeps summer and Christmas quieter than spring', () => {
    expect(today.groups.every((g) => g.at <= '2026-12-05T16:00:00Z')).toBe(true);
    const visits = new Map<string, number>();
    for (const g of full.groups)
      for (const s of g.steps)
        if (s.kind === 'record-batch')
          for (const i of s.items)
            if (i.input.kind === 'service-delivered')
              visits.set(i.input.occurredOn.slice(0, 7), (visits.get(i.input.occurredOn.slice(0, 7)) ?? 0) + 1);
    expect(visits.get('2025-08')!).toBeLessThan(visits.get('2025-04')! * 0.85);
    expect(visits.get('2025-12')!).toBeLessThan(visits.get('2025-11')! * 0.9);
  });

  it('refuses a scale, seed or last day it cannot honour, naming the option', () => {
    const refusal = (o: { scale: number; seed: number; until: string }) => {
      try {
        planSimulation(definition, o);
      } catch (e) {
        return e instanceof DomainValidationError ? e.issues.map((i) => `${i.field}:${i.rule}`) : ['other'];
      }
      return [];
    };
    expect(refusal({ scale: 0, seed: 1, until: '2024-01-01' })).toEqual(['scale:range']);
    expect(refusal({ scale: 1, seed: -1, until: '2024-01-01' })).toEqual(['seed:integer']);
    expect(refusal({ scale: 1, seed: 1, until: '2027-01-01' })).toEqual(['until:within-project']);
    expect(refusal({ scale: 1, seed: 1, until: '2024-13-01' })).toEqual(['until:date']);
  });
});
