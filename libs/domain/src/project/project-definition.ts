import { type Cents, MAX_CENTS, parseMoney } from '../shared/money';
import { compareDates, isIsoDate, isWithin, type IsoDate } from '../shared/iso-date';
import { DomainValidationError, IssueCollector } from '../shared/validation';
import { parseSimplifiedCosts, type SimplifiedCosts } from './simplified-costs';

export const INDICATORS = ['unique-persons-reached', 'services-delivered', 'workers-trained', 'events-held'] as const;
export type Indicator = (typeof INDICATORS)[number];
export const TARGET_GROUPS = ['disabled-child', 'disabled-adult', 'elderly'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];
export const REPORTING_PERIODS = ['monthly', 'quarterly'] as const;
export type ReportingPeriodKind = (typeof REPORTING_PERIODS)[number];

export interface Target {
  readonly id: string;
  readonly title: string;
  readonly indicator: Indicator;
  readonly value: number;
  readonly deadline: IsoDate;
}

export interface Partner {
  readonly id: string;
  readonly name: string;
  readonly municipality: string;
  readonly joinedOn: IsoDate;
  /** This partner's own split of its eligible costs; the project's (no own part) when absent. */
  readonly coFinancing?: PartnerCoFinancing;
}

/** A partner's split: ESF+, national, and its own contribution, in basis points summing to 10000. */
export interface PartnerCoFinancing extends CoFinancing {
  readonly ownBp: number;
}

export interface BudgetCategory {
  readonly id: string;
  readonly name: string;
}

export interface AgeBand {
  readonly id: string;
  readonly label: string;
  readonly minAge: number;
  /** Inclusive; null for an open-ended band ("55 and over"). */
  readonly maxAge: number | null;
}

/** Shares of every euro, in basis points (8500 = 85.00 %); they sum to 10000. */
export interface CoFinancing {
  readonly esfPlusBp: number;
  readonly nationalBp: number;
}

/** The project is data: everything the ledger knows about a project comes from this definition. */
export interface ProjectDefinition {
  readonly code: string;
  readonly title: string;
  readonly titleEn: string;
  readonly implementingBody: string;
  readonly fund: string;
  readonly period: { readonly start: IsoDate; readonly end: IsoDate };
  readonly currency: 'EUR';
  readonly envelopeCents: Cents;
  readonly coFinancing: CoFinancing;
  readonly reportingPeriod: ReportingPeriodKind;
  readonly targets: readonly Target[];
  readonly partners: readonly Partner[];
  readonly budgetCategories: readonly BudgetCategory[];
  readonly ageBands: readonly AgeBand[];
  /** Unit costs and flat rates computed from verified figures (simplified-costs.ts); absent: none. */
  readonly simplifiedCosts?: SimplifiedCosts;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,39}$/;
export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isObjectList = (v: unknown): v is Raw[] => Array.isArray(v) && v.every(isObject);

const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'code',
  'title',
  'titleEn',
  'implementingBody',
  'fund',
  'period',
  'currency',
  'envelope',
  'coFinancing',
  'reportingPeriod',
  'targets',
  'partners',
  'budgetCategories',
  'ageBands',
  'notes',
  'simplifiedCosts',
]);

type Period = ProjectDefinition['period'];

/**
 * Turns the external form of a definition (money as "43940212.00") into the domain form, or
 * throws DomainValidationError listing every broken rule with its field path. Each section is
 * read by its own function below, in the order of the definition, so issues come in that order.
 */
export function parseProjectDefinition(raw: unknown): ProjectDefinition {
  if (!isObject(raw)) {
    throw new DomainValidationError([
      { field: '(body)', rule: 'object', message: 'the project definition must be a JSON object' },
    ]);
  }
  const c = new IssueCollector();
  for (const k of Object.keys(raw)) if (!KNOWN_FIELDS.has(k)) c.add(k, 'unknown-field', `unknown field "${k}"`);
  const identity = parseIdentity(c, raw);
  const period = parsePeriod(c, raw.period);
  const money = parseMoneyTerms(c, raw);
  const reportingPeriod = parseReportingPeriod(c, raw.reportingPeriod);
  const targets = parseTargets(c, raw.targets, period);
  const partners = parsePartners(c, raw.partners, period);
  const budgetCategories = parseBudgetCategories(c, raw.budgetCategories);
  const ageBands = parseAgeBands(c, raw.ageBands);
  const categoryIds = budgetCategories.map((b) => b.id);
  const simplifiedCosts = parseSimplifiedCosts(c, raw.simplifiedCosts, categoryIds);
  c.throwIfAny();
  return {
    ...identity,
    period,
    currency: 'EUR',
    ...money,
    reportingPeriod,
    targets,
    partners,
    budgetCategories,
    ageBands,
    ...(simplifiedCosts ? { simplifiedCosts } : {}),
  };
}

// --- readers of one value: each records its issue and returns a placeholder, so parsing goes on ---

function readString(c: IssueCollector, field: string, v: unknown, max = 300): string {
  if (typeof v !== 'string' || v.trim().length === 0 || v.length > max) {
    c.add(field, 'non-empty-string', `must be a non-empty string of at most ${max} characters`, v);
    return '';
  }
  return v;
}

function readDate(c: IssueCollector, field: string, v: unknown): IsoDate {
  if (!isIsoDate(v)) {
    c.add(field, 'iso-date', 'must be a calendar date YYYY-MM-DD', v);
    return '';
  }
  return v;
}

function readList(c: IssueCollector, field: string, v: unknown, min: number): Raw[] {
  if (!isObjectList(v) || v.length < min) {
    c.add(field, 'array-of-objects', `must be an array of at least ${min} object(s)`, v);
    return [];
  }
  return v;
}

function readSlug(c: IssueCollector, field: string, v: unknown): string {
  if (typeof v !== 'string' || !SLUG.test(v)) {
    c.add(field, 'slug', 'must be lower-case letters, digits and dashes (1-63 characters)', v);
    return '';
  }
  return v;
}

/** Ids of one list are unique; the second and later uses of an id are the issues. */
function checkUniqueIds(c: IssueCollector, field: string, items: readonly { readonly id: string }[]): void {
  const seen = new Set<string>();
  items.forEach(({ id }, i) => {
    if (id && seen.has(id)) c.add(`${field}[${i}].id`, 'unique', `duplicate id "${id}"`, id);
    seen.add(id);
  });
}

/** A date within the project period; not checked when the period itself is broken. */
function checkWithinPeriod(c: IssueCollector, field: string, date: IsoDate, { start, end }: Period): void {
  if (date && start && end && !isWithin(date, start, end)) {
    c.add(field, 'within-period', `must lie within the project period ${start}..${end}`, date);
  }
}

// --- the sections of a definition, in order ---

function parseIdentity(c: IssueCollector, r: Raw) {
  const code = typeof r.code === 'string' && CODE.test(r.code) ? r.code : '';
  if (!code) c.add('code', 'project-code', 'must be 1-40 letters, digits, dots or dashes', r.code);
  const title = readString(c, 'title', r.title);
  const titleEn = r.titleEn === undefined ? title : readString(c, 'titleEn', r.titleEn);
  const implementingBody = readString(c, 'implementingBody', r.implementingBody);
  const fund = readString(c, 'fund', r.fund);
  return { code, title, titleEn, implementingBody, fund };
}

function parsePeriod(c: IssueCollector, raw: unknown): Period {
  if (!isObject(raw)) c.add('period', 'object', 'must be an object { start, end }', raw);
  const period = isObject(raw) ? raw : {};
  const start = readDate(c, 'period.start', period.start);
  const end = readDate(c, 'period.end', period.end);
  if (start && end && compareDates(start, end) >= 0)
    c.add('period.end', 'after-start', 'must be after period.start', end);
  return { start, end };
}

const isBasisPoints = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10_000;

/** Currency, envelope and co-financing shares. */
function parseMoneyTerms(c: IssueCollector, r: Raw): { envelopeCents: Cents; coFinancing: CoFinancing } {
  if (r.currency !== 'EUR') c.add('currency', 'enum', 'must be "EUR"', r.currency);
  const envelopeCents = parseMoney(r.envelope);
  if (envelopeCents === null || envelopeCents === 0 || envelopeCents > MAX_CENTS) {
    c.add('envelope', 'money', 'must be a positive decimal string with two places, e.g. "43940212.00"', r.envelope);
  }
  const cf = isObject(r.coFinancing) ? r.coFinancing : {};
  const { esfPlusBp, nationalBp } = cf;
  if (!isBasisPoints(esfPlusBp) || !isBasisPoints(nationalBp)) {
    c.add('coFinancing', 'basis-points', 'esfPlusBp and nationalBp must be whole basis points 0-10000', r.coFinancing);
  } else if (esfPlusBp + nationalBp !== 10_000) {
    c.add('coFinancing', 'sum-100-percent', 'esfPlusBp + nationalBp must equal 10000 (100 %)', r.coFinancing);
  }
  // The placeholders below are never returned: a broken value above makes the parse throw.
  return {
    envelopeCents: envelopeCents ?? 0,
    coFinancing: { esfPlusBp: esfPlusBp as number, nationalBp: nationalBp as number },
  };
}

function parseReportingPeriod(c: IssueCollector, raw: unknown): ReportingPeriodKind {
  const kind = raw as ReportingPeriodKind;
  if (!REPORTING_PERIODS.includes(kind)) {
    c.add('reportingPeriod', 'enum', `must be one of ${REPORTING_PERIODS.join(', ')}`, raw);
  }
  return kind;
}

function parseTargets(c: IssueCollector, raw: unknown, period: Period): Target[] {
  const targets = readList(c, 'targets', raw, 1).map((t, i): Target => {
    const f = `targets[${i}]`;
    const indicator = t.indicator as Indicator;
    if (!INDICATORS.includes(indicator))
      c.add(`${f}.indicator`, 'enum', `must be one of ${INDICATORS.join(', ')}`, t.indicator);
    if (!Number.isSafeInteger(t.value) || (t.value as number) <= 0) {
      c.add(`${f}.value`, 'positive-integer', 'must be a positive whole number', t.value);
    }
    const deadline = readDate(c, `${f}.deadline`, t.deadline);
    checkWithinPeriod(c, `${f}.deadline`, deadline, period);
    const id = readSlug(c, `${f}.id`, t.id);
    return { id, title: readString(c, `${f}.title`, t.title), indicator, value: t.value as number, deadline };
  });
  checkUniqueIds(c, 'targets', targets);
  return targets;
}

function parsePartners(c: IssueCollector, raw: unknown, period: Period): Partner[] {
  const partners = readList(c, 'partners', raw, 0).map((p, i): Partner => {
    const f = `partners[${i}]`;
    const joinedOn = readDate(c, `${f}.joinedOn`, p.joinedOn);
    checkWithinPeriod(c, `${f}.joinedOn`, joinedOn, period);
    return {
      id: readSlug(c, `${f}.id`, p.id),
      name: readString(c, `${f}.name`, p.name),
      municipality: readString(c, `${f}.municipality`, p.municipality),
      joinedOn,
      ...(p.coFinancing !== undefined ? { coFinancing: parsePartnerCoFinancing(c, f, p.coFinancing) } : {}),
    };
  });
  checkUniqueIds(c, 'partners', partners);
  return partners;
}

/** A partner's own split: whole basis points that sum to 100 %. */
function parsePartnerCoFinancing(c: IssueCollector, f: string, raw: unknown): PartnerCoFinancing {
  const cf = isObject(raw) ? raw : {};
  const { esfPlusBp, nationalBp, ownBp } = cf;
  if (!isBasisPoints(esfPlusBp) || !isBasisPoints(nationalBp) || !isBasisPoints(ownBp)) {
    c.add(
      `${f}.coFinancing`,
      'basis-points',
      'esfPlusBp, nationalBp and ownBp must be whole basis points 0-10000',
      raw,
    );
  } else if (esfPlusBp + nationalBp + ownBp !== 10_000) {
    c.add(`${f}.coFinancing`, 'sum-100-percent', 'esfPlusBp + nationalBp + ownBp must equal 10000 (100 %)', raw);
  }
  // Never returned when broken: the parse throws.
  return { esfPlusBp: Number(esfPlusBp), nationalBp: Number(nationalBp), ownBp: Number(ownBp) };
}

function parseBudgetCategories(c: IssueCollector, raw: unknown): BudgetCategory[] {
  const categories = readList(c, 'budgetCategories', raw, 1).map((b, i): BudgetCategory => ({
    id: readSlug(c, `budgetCategories[${i}].id`, b.id),
    name: readString(c, `budgetCategories[${i}].name`, b.name),
  }));
  checkUniqueIds(c, 'budgetCategories', categories);
  return categories;
}

const isAge = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 130;

function parseAgeBands(c: IssueCollector, raw: unknown): AgeBand[] {
  const bands = readList(c, 'ageBands', raw, 1).map((a, i): AgeBand => {
    const f = `ageBands[${i}]`;
    if (!isAge(a.minAge)) c.add(`${f}.minAge`, 'age', 'must be a whole number of years 0-130', a.minAge);
    if (a.maxAge !== null && (!isAge(a.maxAge) || a.maxAge < (a.minAge as number))) {
      c.add(`${f}.maxAge`, 'age', 'must be null (open-ended) or a whole number >= minAge', a.maxAge);
    }
    return {
      id: readSlug(c, `${f}.id`, a.id),
      label: readString(c, `${f}.label`, a.label),
      minAge: a.minAge as number,
      maxAge: a.maxAge as number | null,
    };
  });
  checkUniqueIds(c, 'ageBands', bands);
  return bands;
}
