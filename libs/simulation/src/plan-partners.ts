import type { ProjectDefinition } from '@ihl/domain';
import { MUNICIPALITIES } from './lithuanian-municipalities';
import { addDays, pad2 } from './simulation-calendar';
import type { PlannedPartner } from './simulation-plan';
import type { SeededRandom } from './seeded-random';

/** The first day partners work in the project (Visaginas, per the project's announcement). */
export const FIRST_DAY = '2023-01-02';

/** Shares of a partner's allocation per budget category; categories the project lacks are skipped. */
export const CATEGORY_SHARES: Readonly<Record<string, number>> = {
  staff: 0.56,
  services: 0.2,
  equipment: 0.07,
  vehicles: 0.06,
  training: 0.03,
  promotion: 0.02,
  indirect: 0.06,
};
/** What is allocated at once; the rest stays in reserve, as agencies keep one. */
const ALLOCATED_SHARE = 0.995;
const BIG_CITIES = new Set(['vilnius-city', 'kaunas-city', 'klaipeda-city', 'siauliai-city', 'panevezys-city']);

/** A whole-number partner count: the 60 municipalities at scale 1, fewer (at least 2) below. */
export function partnerCount(scale: number): number {
  return Math.max(2, Math.min(MUNICIPALITIES.length, Math.round(MUNICIPALITIES.length * Math.sqrt(scale))));
}

/** A partner's joining day: a first wave on the first day, most others during 2023, a few in 2024. */
function joiningDay(rnd: SeededRandom): string {
  const x = rnd.next();
  if (x < 0.3) return FIRST_DAY;
  if (x < 0.9) return `2023-${pad2(rnd.int(2, 12))}-${pad2(rnd.int(1, 28))}`;
  return `2024-${pad2(rnd.int(1, 6))}-${pad2(rnd.int(1, 28))}`;
}

/**
 * The partners: the ones the definition lists (with their own ids and joining days) and a seeded
 * choice of the other municipalities' social-service centres; a few of them clearly behind.
 */
export function planPartners(definition: ProjectDefinition, scale: number, rnd: SeededRandom): PlannedPartner[] {
  const known = new Map(definition.partners.map((p) => [p.id, p]));
  const others = MUNICIPALITIES.filter(([stem]) => !known.has(`${stem}-spc`))
    .map((m) => ({ m, key: rnd.next() }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.m);
  const wanted = Math.max(partnerCount(scale), definition.partners.length);
  const chosen = others.slice(0, wanted - definition.partners.length);
  const behind = new Set(
    chosen
      .filter(([stem]) => !BIG_CITIES.has(stem))
      .slice(0, Math.max(1, Math.round(wanted * 0.06)))
      .map(([stem]) => stem),
  );
  const drafts = [
    ...definition.partners.map((p) => ({ ...p, register: false, stem: p.id, big: false })),
    ...chosen.map(([stem, municipality, genitive]) => ({
      id: `${stem}-spc`,
      name: `${genitive} socialinių paslaugų centras`,
      municipality,
      joinedOn: joiningDay(rnd),
      register: true,
      stem,
      big: BIG_CITIES.has(stem),
    })),
  ].map((d) => ({
    ...d,
    joinedOn: d.joinedOn < definition.period.start ? addDays(definition.period.start, 0) : d.joinedOn,
    weight: (d.big ? 2.2 : 0.5) + rnd.next() * 1.6,
    pace: behind.has(d.stem) ? 0.4 + rnd.next() * 0.2 : 1 + rnd.next() * 0.06,
  }));
  const weightSum = drafts.reduce((a, d) => a + d.weight, 0);
  const budget = definition.envelopeCents * scale * ALLOCATED_SHARE;
  const categories = definition.budgetCategories.filter((c) => CATEGORY_SHARES[c.id] !== undefined);
  return drafts
    .sort((a, b) => (a.joinedOn === b.joinedOn ? (a.id < b.id ? -1 : 1) : a.joinedOn < b.joinedOn ? -1 : 1))
    .map(({ stem: _stem, big: _big, ...d }) => ({
      ...d,
      workers: 3 + Math.round(d.weight * 5),
      actor: { subject: `${d.id}-coordinator`, role: 'partner-submitter', partnerId: d.id },
      allocations: categories.map((c) => ({
        categoryId: c.id,
        cents: Math.floor((budget * (d.weight / weightSum) * (CATEGORY_SHARES[c.id] ?? 0)) / 100) * 100,
      })),
    }));
}
