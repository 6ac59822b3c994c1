import type { CentsSum } from '../shared/money';
import {
  SCO_VOLUMES,
  flatRateCents,
  unitCostCents,
  type FlatRate,
  type LumpSum,
  type SimplifiedCosts,
  type UnitCost,
} from '../project/simplified-costs';

/** A partner's verified volume for a unit cost, in the column's own measure (minutes, people, records). */
export interface ScoVolumeInput {
  readonly partnerId: string;
  readonly records: number;
  readonly measured: number;
}

/** A partner's verified eligible real costs in a flat rate's base categories. */
export interface ScoBaseInput {
  readonly partnerId: string;
  readonly records: number;
  readonly eligibleCents: CentsSum;
}

/** What the lines are computed from, read per option. */
export interface ScoInputs {
  volumeOf(unitCost: UnitCost): readonly ScoVolumeInput[];
  baseOf(flatRate: FlatRate): readonly ScoBaseInput[];
  /** Whether finance has accepted the lump sum's deliverable (as of the point asked). */
  accepted?(lumpSum: LumpSum): boolean;
}

/** One option's amount for one partner, with what it was computed from. */
export type ScoLine = {
  readonly scoId: string;
  readonly partnerId: string;
  readonly categoryId: string;
  /** The verified records behind it (activities, or expenditures of the base categories). */
  readonly records: number;
  readonly amountCents: CentsSum;
} & (
  | {
      readonly type: 'unit-cost';
      readonly rateCents: number;
      /** e.g. 90 minutes at 60 a unit (an hour): 1.5 units. */
      readonly volume: {
        readonly measured: number;
        readonly measuredIn: string;
        readonly perUnit: number;
        readonly unit: string;
      };
    }
  | {
      readonly type: 'flat-rate';
      readonly percentBp: number;
      readonly baseCategories: readonly string[];
      readonly baseCents: CentsSum;
    }
  | { readonly type: 'lump-sum'; readonly deliverable: string }
);

const MEASURED_IN = { minutes: 'minutes', people: 'people', people_minutes: 'participant-minutes', records: 'records' };

/**
 * Every option's amount per partner, in the definition's order, computed, never typed: unit cost ×
 * verified volume, and rate × verified eligible base, each rounded half up once per option and
 * partner (simplified-costs.ts). A partner without volume or base has no line.
 */
export function simplifiedCostLines(sco: SimplifiedCosts, inputs: ScoInputs): ScoLine[] {
  const lines: ScoLine[] = [];
  for (const u of sco.unitCosts) {
    const v = SCO_VOLUMES[u.volume];
    for (const row of inputs.volumeOf(u)) {
      if (row.records === 0) continue;
      lines.push({
        scoId: u.id,
        type: 'unit-cost',
        partnerId: row.partnerId,
        categoryId: u.categoryId,
        records: row.records,
        rateCents: u.rateCents,
        volume: { measured: row.measured, measuredIn: MEASURED_IN[v.column], perUnit: v.perUnit, unit: v.unit },
        amountCents: unitCostCents(u.rateCents, BigInt(row.measured), v.perUnit),
      });
    }
  }
  for (const f of sco.flatRates)
    for (const row of inputs.baseOf(f)) {
      if (row.records === 0) continue;
      lines.push({
        scoId: f.id,
        type: 'flat-rate',
        partnerId: row.partnerId,
        categoryId: f.categoryId,
        records: row.records,
        percentBp: f.rateBp,
        baseCategories: f.baseCategories,
        baseCents: row.eligibleCents,
        amountCents: flatRateCents(row.eligibleCents, f.rateBp),
      });
    }
  // The whole amount once its deliverable is accepted, or nothing: no rounding to do.
  for (const l of sco.lumpSums ?? [])
    if (inputs.accepted?.(l))
      lines.push({
        scoId: l.id,
        type: 'lump-sum',
        partnerId: l.partnerId,
        categoryId: l.categoryId,
        records: 1,
        deliverable: l.deliverable,
        amountCents: BigInt(l.amountCents),
      });
  return lines;
}

/** The lines summed per partner and category, per partner, per category and in all: each the sum of its lines. */
export function simplifiedCostTotals(lines: readonly ScoLine[]) {
  const byPartner: Record<string, { amountCents: CentsSum; byCategory: Record<string, { amountCents: CentsSum }> }> =
    {};
  const byCategory: Record<string, { amountCents: CentsSum }> = {};
  let total = 0n;
  for (const l of lines) {
    const p = (byPartner[l.partnerId] ??= { amountCents: 0n, byCategory: {} });
    p.amountCents += l.amountCents;
    (p.byCategory[l.categoryId] ??= { amountCents: 0n }).amountCents += l.amountCents;
    (byCategory[l.categoryId] ??= { amountCents: 0n }).amountCents += l.amountCents;
    total += l.amountCents;
  }
  return { byPartner, byCategory, total: { amountCents: total } };
}
