import type { ProjectDefinition } from '@ihl/domain';
import { planPartnerActivities, planServices } from './plan-activities';
import { partnerBudget, planMonthlyCosts, planProcurement, type PartnerBudget } from './plan-expenditures';
import { FIRST_DAY, planPartners } from './plan-partners';
import { planPersons } from './plan-persons';
import { PlanTally } from './plan-tally';
import { addDays, isQuarterEnd, monthsBetween, quarterOf, type SimMonth } from './simulation-calendar';
import type {
  PlannedExpenditure,
  PlannedPerson,
  PlannedRecord,
  SimStep,
  SimulationOptions,
  SimulationPlan,
} from './simulation-plan';
import { SeededRandom } from './seeded-random';
import { correctedInput } from './corrected-input';
import { checkSimulationOptions } from './simulation-options';

/** Shares of the month's records partners correct or void before the lock, and the agency reviews. */
const RATES = { correct: 0.01, void: 0.007, review: 0.025, reject: 0.06, ineligible: 0.12 };
const MAX_BATCH = 500;

interface MonthContext {
  readonly rnd: SeededRandom;
  readonly tally: PlanTally;
  readonly until: string;
  readonly persons: readonly PlannedPerson[];
  readonly budgets: readonly PartnerBudget[];
}

const at = (month: SimMonth, day: number, time: string) => `${addDays(month.lastDay, day)}T${time}Z`;

/**
 * The whole simulation as commands in time order, from the first partner's first day to `until`.
 * Pure and seeded: the same definition, scale and seed give the same plan, and an earlier `until`
 * gives a prefix of a later one's months.
 */
export function planSimulation(definition: ProjectDefinition, options: SimulationOptions): SimulationPlan {
  checkSimulationOptions(definition, options);
  const rnd = new SeededRandom(options.seed);
  const months = monthsBetween(FIRST_DAY, definition.period.end);
  const partners = planPartners(definition, options.scale, rnd);
  const target = definition.targets.find((t) => t.indicator === 'unique-persons-reached')?.value ?? 0;
  const persons = planPersons(Math.round(target * options.scale), partners, months, rnd);
  const budgets = partners.map((p) => partnerBudget(p, months, rnd));
  const tally = new PlanTally(options.until);
  for (const p of partners) if (p.pace < 0.9) tally.partnerBehind(p.id);
  const ctx: MonthContext = { rnd, tally, until: options.until, persons, budgets };
  for (const month of months) {
    if (month.firstDay > options.until) break;
    planMonth(ctx, month);
  }
  return { options, definition, groups: tally.groups, figures: tally.figures(definition.partners.length) };
}

function planMonth(ctx: MonthContext, month: SimMonth): void {
  const { rnd, tally, until } = ctx;
  for (const b of ctx.budgets) {
    const p = b.partner;
    if (p.joinedOn < month.firstDay || p.joinedOn > month.lastDay || p.joinedOn > until) continue;
    const steps: SimStep[] = p.register ? [{ kind: 'register-partner', partner: p }] : [];
    for (const a of p.allocations)
      steps.push({ kind: 'allocate', partner: p, categoryId: a.categoryId, cents: a.cents });
    tally.add(`${p.joinedOn}T07:00:00Z`, false, steps);
  }
  const records = planServices(ctx.persons, month, rnd);
  const expenditures: PlannedExpenditure[] = [];
  for (const b of ctx.budgets) {
    if (b.partner.joinedOn > month.lastDay) continue;
    const own = planPartnerActivities(b.partner, month, rnd);
    const bought = planProcurement(b, month, rnd);
    records.push(...own, ...bought.records);
    expenditures.push(...bought.expenditures, ...planMonthlyCosts(b, month, own, rnd));
  }
  const recorded = records.filter((r) => r.input.occurredOn <= until);
  tally.add(at(month, 2, '06:00:00'), true, batches(recorded));
  const kept = planFixes(ctx, month, recorded);
  const declared = expenditures.filter((e) => e.fields.occurredOn <= until);
  planExpenditureReviews(ctx, month, declared);
  const reviews: SimStep[] = [];
  for (const record of kept) {
    if (!rnd.chance(RATES.review)) continue;
    const reject = !record.reaches && rnd.chance(RATES.reject);
    reviews.push({ kind: reject ? 'reject-activity' : 'verify-activity', record });
  }
  tally.add(at(month, 12, '09:00:00'), true, reviews);
  const lockAt = at(month, 20, '10:00:00');
  if (isQuarterEnd(month) && tally.reaches(lockAt))
    tally.add(lockAt, false, [{ kind: 'lock-period', period: quarterOf(month) }]);
}

/** Up to 500 records per command, one partner's at a time, as partners send their monthly files. */
function batches(records: readonly PlannedRecord[]): SimStep[] {
  const byPartner = new Map<string, PlannedRecord[]>();
  for (const r of records) {
    const list = byPartner.get(r.partner.id);
    if (list) list.push(r);
    else byPartner.set(r.partner.id, [r]);
  }
  const steps: SimStep[] = [];
  for (const list of byPartner.values()) {
    for (let i = 0; i < list.length; i += MAX_BATCH) {
      const chunk = list.slice(i, i + MAX_BATCH);
      steps.push({
        kind: 'record-batch',
        partner: chunk[0]!.partner,
        items: chunk.map((r) => ({ input: r.input, activityId: r.activityId })),
      });
    }
  }
  return steps;
}

/** Partners correct and void a few of the month's records before it is locked; answers the records left. */
function planFixes(ctx: MonthContext, month: SimMonth, records: readonly PlannedRecord[]): PlannedRecord[] {
  const steps: SimStep[] = [];
  const kept: PlannedRecord[] = [];
  for (const record of records) {
    const x = ctx.rnd.next();
    if (x < RATES.correct) steps.push({ kind: 'correct-activity', record, input: correctedInput(record.input) });
    else if (x < RATES.correct + RATES.void && !record.reaches) {
      steps.push({ kind: 'void-activity', record });
      continue;
    }
    kept.push(record);
  }
  ctx.tally.add(at(month, 6, '08:00:00'), true, steps);
  return kept;
}

/** Declared on the 8th with a few corrections and voids the same day, verified by finance on the 12th. */
function planExpenditureReviews(ctx: MonthContext, month: SimMonth, declared: readonly PlannedExpenditure[]): void {
  const { rnd, tally } = ctx;
  tally.add(
    at(month, 8, '09:00:00'),
    true,
    declared.map((expenditure) => ({ kind: 'declare-expenditure', expenditure })),
  );
  const fixes: SimStep[] = [];
  const verifications: SimStep[] = [];
  for (const e of declared) {
    const x = rnd.next();
    let amount = e.fields.amountCents;
    if (x < 0.015) {
      fixes.push({ kind: 'void-expenditure', expenditure: e });
      continue;
    }
    if (x < 0.045 && amount > 1000) {
      amount -= Math.round(amount * (0.01 + rnd.next() * 0.07));
      fixes.push({ kind: 'correct-expenditure', expenditure: e, amountCents: amount });
    }
    const ineligible = rnd.chance(RATES.ineligible) ? Math.round(amount * (0.03 + rnd.next() * 0.22)) : 0;
    verifications.push({
      kind: 'verify-expenditure',
      expenditure: e,
      eligibleCents: amount - ineligible,
      ineligibleCents: ineligible,
    });
  }
  tally.add(at(month, 8, '11:00:00'), true, fixes);
  tally.add(at(month, 12, '09:30:00'), true, verifications);
}
