import type { ExpenditureFields } from '@ihl/domain';
import { PER_PARTNER_MONTH, procurement } from './plan-activities';
import { isQuarterEnd, seasonOf, type SimMonth } from './simulation-calendar';
import type { PlannedExpenditure, PlannedPartner, PlannedRecord } from './simulation-plan';
import type { SeededRandom } from './seeded-random';

/** The typical price of a mobile team's car, which decides how many cars a partner's line buys. */
const CAR_CENTS = 28_000_00;

/** What a partner will spend per category and over how many months: the pace of its declarations. */
export interface PartnerBudget {
  readonly partner: PlannedPartner;
  readonly spend: (categoryId: string) => number;
  readonly openMonths: number;
  readonly openQuarters: number;
  /** Sum of the seasonal factors of its months: turns a monthly rate into an expected count. */
  readonly seasonSum: number;
  /** Month indexes in which it buys a car, one entry per car. */
  readonly carMonths: readonly number[];
  /** Costs of the quarter's trainings and events so far, claimed together at its end. */
  readonly quarter: Map<string, number>;
}

export function partnerBudget(p: PlannedPartner, months: readonly SimMonth[], rnd: SeededRandom): PartnerBudget {
  const open = months.filter((m) => m.lastDay >= p.joinedOn);
  const allocated = (c: string) => p.allocations.find((a) => a.categoryId === c)?.cents ?? 0;
  const spend = (c: string) => allocated(c) * p.pace;
  const cars = spend('vehicles') > 0 ? Math.max(1, Math.round(spend('vehicles') / CAR_CENTS)) : 0;
  const early = open.slice(0, Math.max(1, Math.min(open.length, 30)));
  return {
    partner: p,
    spend,
    openMonths: open.length,
    openQuarters: open.filter(isQuarterEnd).length,
    seasonSum: open.reduce((a, m) => a + seasonOf(m.month), 0),
    carMonths: Array.from({ length: cars }, () => rnd.pick(early).index),
    quarter: new Map(),
  };
}

const jitter = (rnd: SeededRandom, spread: number) => 1 - spread + rnd.next() * 2 * spread;

function expenditure(
  b: PartnerBudget,
  categoryId: string,
  cents: number,
  occurredOn: string,
  description: string,
  rnd: SeededRandom,
): PlannedExpenditure {
  const fields: ExpenditureFields = {
    categoryId,
    amountCents: Math.max(100, Math.round(cents)),
    occurredOn,
    documentRef: `SF-${occurredOn.slice(0, 4)}-${String(rnd.int(1, 99999)).padStart(5, '0')}`,
    description,
  };
  return { id: rnd.uuid(), partner: b.partner, fields };
}

/** Equipment and cars of the month, each an activity record with its invoice. */
export function planProcurement(b: PartnerBudget, month: SimMonth, rnd: SeededRandom) {
  const records: PlannedRecord[] = [];
  const expenditures: PlannedExpenditure[] = [];
  const mean = PER_PARTNER_MONTH.equipment * b.partner.weight * b.partner.pace;
  const perPurchase = b.spend('equipment') / Math.max(1, mean * b.seasonSum);
  const buys = [
    ...Array.from({ length: rnd.count(mean * seasonOf(month.month)) }, () => false),
    ...b.carMonths.filter((m) => m === month.index).map(() => true),
  ];
  for (const car of buys) {
    const cents = car ? b.spend('vehicles') / b.carMonths.length : perPurchase;
    const record = procurement(b.partner, month, car, cents * jitter(rnd, car ? 0.1 : 0.4), rnd);
    if (record.input.kind !== 'equipment-procured') continue;
    records.push(record);
    const what = car ? 'Automobilis mobiliajai komandai' : 'Slaugos priemonės ir įranga';
    const category = car ? 'vehicles' : 'equipment';
    expenditures.push(expenditure(b, category, record.input.totalCents, record.input.occurredOn, what, rnd));
  }
  return { records, expenditures };
}

/**
 * The month's claims besides procurement: staff pay every month; at each quarter's end purchased
 * services, the flat-rate indirect costs and the quarter's trainings and promotion events, one claim
 * per category (fewer, larger declarations, as partners send them).
 */
export function planMonthlyCosts(
  b: PartnerBudget,
  month: SimMonth,
  records: readonly PlannedRecord[],
  rnd: SeededRandom,
): PlannedExpenditure[] {
  const out: PlannedExpenditure[] = [];
  if (month.lastDay < b.partner.joinedOn) return out;
  const staff = (b.spend('staff') / Math.max(1, b.openMonths)) * jitter(rnd, 0.06);
  out.push(expenditure(b, 'staff', staff, month.lastDay, `Darbo užmokestis ${month.id}`, rnd));
  const perEvent = (c: string, rate: number) =>
    b.spend(c) / Math.max(1, rate * b.partner.weight * b.partner.pace * b.seasonSum);
  const add = (c: string, cents: number) => b.quarter.set(c, (b.quarter.get(c) ?? 0) + cents);
  for (const r of records) {
    if (r.input.kind === 'training-held')
      add('training', perEvent('training', PER_PARTNER_MONTH.trainings) * jitter(rnd, 0.4));
    if (r.input.kind === 'promotion-event')
      add('promotion', perEvent('promotion', PER_PARTNER_MONTH.promotion) * jitter(rnd, 0.4));
  }
  if (!isQuarterEnd(month)) return out.filter((e) => b.spend(e.fields.categoryId) > 0);
  const quarters = Math.max(1, b.openQuarters);
  add('services', (b.spend('services') / quarters) * jitter(rnd, 0.2));
  add('indirect', (b.spend('indirect') / quarters) * jitter(rnd, 0.03));
  for (const [c, cents] of [...b.quarter].sort(([a], [z]) => (a < z ? -1 : 1)))
    out.push(
      expenditure(
        b,
        c,
        cents,
        month.lastDay,
        `${CLAIMS[c] ?? c} ${month.year} m. ${Math.ceil(month.month / 3)} ketv.`,
        rnd,
      ),
    );
  b.quarter.clear();
  return out.filter((e) => b.spend(e.fields.categoryId) > 0);
}

const CLAIMS: Readonly<Record<string, string>> = {
  services: 'Slaugos, reabilitacijos ir globos paslaugos',
  indirect: 'Netiesioginės išlaidos',
  training: 'Mokymų išlaidos',
  promotion: 'Renginių išlaidos',
};
