import { parseMoney, MAX_CENTS, type Cents, type CentsSum } from '../shared/money';
import type { IssueCollector } from '../shared/validation';

/**
 * The verified activity volumes a unit cost can be paid on: the kind of record, the column of the
 * read model's `records` row it sums, and how many of that column make one unit (minutes → hours).
 */
export const SCO_VOLUMES = {
  'service-hours': { kind: 'service-delivered', column: 'minutes', perUnit: 60, unit: 'hour' },
  services: { kind: 'service-delivered', column: 'records', perUnit: 1, unit: 'service' },
  'consultation-hours': { kind: 'caregiver-consultation', column: 'minutes', perUnit: 60, unit: 'hour' },
  'psychological-support-hours': { kind: 'psychological-support', column: 'minutes', perUnit: 60, unit: 'hour' },
  'training-participant-hours': {
    kind: 'training-held',
    column: 'people_minutes',
    perUnit: 60,
    unit: 'participant-hour',
  },
  'promotion-event-attendees': { kind: 'promotion-event', column: 'people', perUnit: 1, unit: 'attendee' },
} as const satisfies Record<
  string,
  // `kind`: an activity kind (activity-kinds.ts, not imported: it depends on the project definition).
  { kind: string; column: 'minutes' | 'people' | 'people_minutes' | 'records'; perUnit: number; unit: string }
>;
export type ScoVolume = keyof typeof SCO_VOLUMES;
const VOLUMES = Object.keys(SCO_VOLUMES) as ScoVolume[];

/** EUR per unit of a verified activity volume (e.g. per hour of home care), paid into a category. */
export interface UnitCost {
  readonly id: string;
  readonly title: string;
  readonly categoryId: string;
  readonly rateCents: Cents;
  readonly volume: ScoVolume;
  /** Service records only: one service and/or setting (e.g. care at home). */
  readonly service?: string;
  readonly setting?: string;
}

/** A percentage of the verified eligible real costs of base categories (e.g. indirect = 15 % of staff). */
export interface FlatRate {
  readonly id: string;
  readonly title: string;
  readonly categoryId: string;
  /** Hundredths of a per cent: 1500 = 15.00 %. */
  readonly rateBp: number;
  readonly baseCategories: readonly string[];
}

/** A fixed amount one partner earns, whole or not at all, once finance accepts its deliverable. */
export interface LumpSum {
  readonly id: string;
  readonly title: string;
  readonly categoryId: string;
  readonly partnerId: string;
  readonly amountCents: Cents;
  /** What must be delivered (e.g. "a signed care plan for the municipality"). */
  readonly deliverable: string;
}

export interface SimplifiedCosts {
  readonly unitCosts: readonly UnitCost[];
  readonly flatRates: readonly FlatRate[];
  /** Only when the definition declares some. */
  readonly lumpSums?: readonly LumpSum[];
}

/**
 * Rounding, stated once: an amount is rounded half up to the cent **once per option and partner**
 * (its whole verified volume, or its whole base, times the rate). A partner's line is what a claim
 * declares; the project's amount is the sum of the partners' lines, so lines and totals reconcile
 * to the cent. Rounding each activity would drift by up to half a cent per record.
 */
export function unitCostCents(rateCents: Cents, quantity: CentsSum, perUnit: number): CentsSum {
  return halfUp(BigInt(rateCents) * quantity, BigInt(perUnit));
}

/** A flat rate's amount on a base (see unitCostCents for the rounding). */
export function flatRateCents(baseCents: CentsSum, rateBp: number): CentsSum {
  return halfUp(baseCents * BigInt(rateBp), 10_000n);
}

/** n / d rounded half up (0.5 cent → 1 cent), for n ≥ 0 and d > 0. */
function halfUp(n: CentsSum, d: CentsSum): CentsSum {
  return (2n * n + d) / (2n * d);
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SLUG_RULE = 'must be lower-case letters, digits and dashes (1-63 characters)';
const PERCENT = /^(\d{1,3})\.(\d{2})$/;

/** `simplifiedCosts` of a project definition (optional): unit costs and flat rates, checked against the categories. */
export function parseSimplifiedCosts(
  c: IssueCollector,
  raw: unknown,
  categories: readonly string[],
): SimplifiedCosts | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    c.add('simplifiedCosts', 'object', 'must be an object { unitCosts, flatRates }', raw);
    return undefined;
  }
  for (const k of Object.keys(raw))
    if (!['unitCosts', 'flatRates', 'lumpSums'].includes(k))
      c.add(`simplifiedCosts.${k}`, 'unknown-field', `unknown field "${k}"`);
  const unitCosts = listOf(c, 'simplifiedCosts.unitCosts', raw.unitCosts).map((u, i) =>
    parseUnitCost(c, `simplifiedCosts.unitCosts[${i}]`, u, categories),
  );
  const flatRates = listOf(c, 'simplifiedCosts.flatRates', raw.flatRates).map((f, i) =>
    parseFlatRate(c, `simplifiedCosts.flatRates[${i}]`, f, categories),
  );
  const lumpSums = listOf(c, 'simplifiedCosts.lumpSums', raw.lumpSums).map((l, i) =>
    parseLumpSum(c, `simplifiedCosts.lumpSums[${i}]`, l, categories),
  );
  const seen = new Set<string>();
  [
    ...unitCosts.map((u, i) => [u.id, `unitCosts[${i}]`]),
    ...flatRates.map((f, i) => [f.id, `flatRates[${i}]`]),
    ...lumpSums.map((l, i) => [l.id, `lumpSums[${i}]`]),
  ].forEach(([id, at]) => {
    if (id && seen.has(id!)) c.add(`simplifiedCosts.${at}.id`, 'unique', `duplicate id "${id}"`, id);
    seen.add(id!);
  });
  return { unitCosts, flatRates, ...(lumpSums.length > 0 ? { lumpSums } : {}) };
}

function listOf(c: IssueCollector, field: string, v: unknown): Raw[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every(isObject)) {
    c.add(field, 'array-of-objects', 'must be an array of objects', v);
    return [];
  }
  return v;
}

function common(c: IssueCollector, f: string, r: Raw, categories: readonly string[]) {
  const id = typeof r.id === 'string' && SLUG.test(r.id) ? r.id : '';
  if (!id) c.add(`${f}.id`, 'slug', 'must be lower-case letters, digits and dashes (1-63 characters)', r.id);
  const title = typeof r.title === 'string' && r.title.trim() !== '' && r.title.length <= 300 ? r.title : '';
  if (!title) c.add(`${f}.title`, 'non-empty-string', 'must be a non-empty string of at most 300 characters', r.title);
  const categoryId = typeof r.categoryId === 'string' && categories.includes(r.categoryId) ? r.categoryId : '';
  if (!categoryId) c.add(`${f}.categoryId`, 'budget-category', 'must be one of the budgetCategories ids', r.categoryId);
  return { id, title, categoryId };
}

const UNIT_FIELDS = new Set(['id', 'title', 'categoryId', 'rate', 'volume', 'service', 'setting']);

function parseUnitCost(c: IssueCollector, f: string, r: Raw, categories: readonly string[]): UnitCost {
  for (const k of Object.keys(r)) if (!UNIT_FIELDS.has(k)) c.add(`${f}.${k}`, 'unknown-field', `unknown field "${k}"`);
  const base = common(c, f, r, categories);
  const rateCents = parseMoney(r.rate);
  if (rateCents === null || rateCents === 0 || rateCents > MAX_CENTS)
    c.add(`${f}.rate`, 'money', 'must be a positive decimal string with two places, e.g. "24.60"', r.rate);
  const volume = r.volume as ScoVolume;
  if (!VOLUMES.includes(volume)) c.add(`${f}.volume`, 'enum', `must be one of ${VOLUMES.join(', ')}`, r.volume);
  const onServices = VOLUMES.includes(volume) && SCO_VOLUMES[volume].kind === 'service-delivered';
  // Their values are checked against SERVICES and SETTINGS where the definition comes in over HTTP
  // (simplified-costs.dto.ts); here, their shape (an unknown one narrows to nothing).
  for (const key of ['service', 'setting'] as const) {
    const v = r[key];
    if (v === undefined) continue;
    if (!onServices) c.add(`${f}.${key}`, 'services-only', 'narrows a volume of service records only', v);
    else if (typeof v !== 'string' || !SLUG.test(v)) c.add(`${f}.${key}`, 'slug', SLUG_RULE, v);
  }
  return {
    ...base,
    rateCents: rateCents ?? 0,
    volume,
    ...(typeof r.service === 'string' ? { service: r.service } : {}),
    ...(typeof r.setting === 'string' ? { setting: r.setting } : {}),
  };
}

const FLAT_FIELDS = new Set(['id', 'title', 'categoryId', 'percent', 'baseCategories']);

function parseFlatRate(c: IssueCollector, f: string, r: Raw, categories: readonly string[]): FlatRate {
  for (const k of Object.keys(r)) if (!FLAT_FIELDS.has(k)) c.add(`${f}.${k}`, 'unknown-field', `unknown field "${k}"`);
  const base = common(c, f, r, categories);
  const m = typeof r.percent === 'string' ? PERCENT.exec(r.percent) : null;
  const rateBp = m ? Number(m[1]) * 100 + Number(m[2]) : 0;
  if (rateBp < 1 || rateBp > 10_000)
    c.add(`${f}.percent`, 'percent', 'must be a decimal string with two places from "0.01" to "100.00"', r.percent);
  const list = Array.isArray(r.baseCategories) ? r.baseCategories : [];
  const ok = list.length > 0 && list.every((b) => typeof b === 'string' && categories.includes(b));
  if (!ok)
    c.add(`${f}.baseCategories`, 'budget-categories', 'must list one or more budgetCategories ids', r.baseCategories);
  else if (list.includes(base.categoryId))
    c.add(`${f}.baseCategories`, 'not-own-category', 'must not include the flat rate’s own category', r.baseCategories);
  return { ...base, rateBp, baseCategories: ok ? (list as string[]) : [] };
}

const LUMP_FIELDS = new Set(['id', 'title', 'categoryId', 'partnerId', 'amount', 'deliverable']);

// The partner is checked when its deliverable is recorded: partners join after registration.
function parseLumpSum(c: IssueCollector, f: string, r: Raw, categories: readonly string[]): LumpSum {
  for (const k of Object.keys(r)) if (!LUMP_FIELDS.has(k)) c.add(`${f}.${k}`, 'unknown-field', `unknown field "${k}"`);
  const base = common(c, f, r, categories);
  const partnerId = typeof r.partnerId === 'string' && SLUG.test(r.partnerId) ? r.partnerId : '';
  if (!partnerId) c.add(`${f}.partnerId`, 'slug', SLUG_RULE, r.partnerId);
  const amountCents = parseMoney(r.amount);
  if (amountCents === null || amountCents === 0 || amountCents > MAX_CENTS)
    c.add(`${f}.amount`, 'money', 'must be a positive decimal string with two places, e.g. "5000.00"', r.amount);
  const deliverable = typeof r.deliverable === 'string' && r.deliverable.trim() !== '' && r.deliverable.length <= 1000;
  if (!deliverable)
    c.add(
      `${f}.deliverable`,
      'non-empty-string',
      'must say what is delivered (at most 1000 characters)',
      r.deliverable,
    );
  return {
    ...base,
    partnerId,
    amountCents: amountCents ?? 0,
    deliverable: deliverable ? (r.deliverable as string) : '',
  };
}
