import { type Cents, MAX_CENTS, parseMoney } from '../shared/money';
import { compareDates, isIsoDate, isWithin, type IsoDate } from '../shared/iso-date';
import { IssueCollector } from '../shared/validation';

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
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,39}$/;
export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns the external form of a definition (money as "43940212.00") into the domain form, or
 * throws DomainValidationError listing every broken rule with its field path.
 */
export function parseProjectDefinition(raw: unknown): ProjectDefinition {
  const c = new IssueCollector();
  if (!isObject(raw)) {
    c.add('(body)', 'object', 'the project definition must be a JSON object');
    c.throwIfAny();
  }
  const r = raw as Raw;
  const known = new Set([
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
  ]);
  for (const k of Object.keys(r)) if (!known.has(k)) c.add(k, 'unknown-field', `unknown field "${k}"`);

  const str = (field: string, v: unknown, max = 300): string => {
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > max) {
      c.add(field, 'non-empty-string', `must be a non-empty string of at most ${max} characters`, v);
      return '';
    }
    return v;
  };
  const date = (field: string, v: unknown): IsoDate => {
    if (!isIsoDate(v)) {
      c.add(field, 'iso-date', 'must be a calendar date YYYY-MM-DD', v);
      return '';
    }
    return v;
  };
  const list = (field: string, v: unknown, min: number): Raw[] => {
    if (!Array.isArray(v) || v.length < min || v.some((x) => !isObject(x))) {
      c.add(field, 'array-of-objects', `must be an array of at least ${min} object(s)`, v);
      return [];
    }
    return v as Raw[];
  };
  const slug = (field: string, v: unknown): string => {
    if (typeof v !== 'string' || !SLUG.test(v)) {
      c.add(field, 'slug', 'must be lower-case letters, digits and dashes (1-63 characters)', v);
      return '';
    }
    return v;
  };
  const unique = (field: string, ids: string[]) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (id && seen.has(id)) c.add(`${field}[${i}].id`, 'unique', `duplicate id "${id}"`, id);
      seen.add(id);
    });
  };

  const code = typeof r.code === 'string' && CODE.test(r.code) ? r.code : '';
  if (!code) c.add('code', 'project-code', 'must be 1-40 letters, digits, dots or dashes', r.code);
  const title = str('title', r.title);
  const titleEn = r.titleEn === undefined ? title : str('titleEn', r.titleEn);
  const implementingBody = str('implementingBody', r.implementingBody);
  const fund = str('fund', r.fund);

  const period = isObject(r.period) ? r.period : {};
  if (!isObject(r.period)) c.add('period', 'object', 'must be an object { start, end }', r.period);
  const start = date('period.start', period.start);
  const end = date('period.end', period.end);
  if (start && end && compareDates(start, end) >= 0)
    c.add('period.end', 'after-start', 'must be after period.start', end);

  if (r.currency !== 'EUR') c.add('currency', 'enum', 'must be "EUR"', r.currency);
  const envelopeCents = parseMoney(r.envelope);
  if (envelopeCents === null || envelopeCents === 0 || envelopeCents > MAX_CENTS) {
    c.add('envelope', 'money', 'must be a positive decimal string with two places, e.g. "43940212.00"', r.envelope);
  }

  const cf = isObject(r.coFinancing) ? r.coFinancing : {};
  const esfPlusBp = cf.esfPlusBp;
  const nationalBp = cf.nationalBp;
  const bp = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10_000;
  if (!bp(esfPlusBp) || !bp(nationalBp)) {
    c.add('coFinancing', 'basis-points', 'esfPlusBp and nationalBp must be whole basis points 0-10000', r.coFinancing);
  } else if ((esfPlusBp as number) + (nationalBp as number) !== 10_000) {
    c.add('coFinancing', 'sum-100-percent', 'esfPlusBp + nationalBp must equal 10000 (100 %)', r.coFinancing);
  }

  const reportingPeriod = r.reportingPeriod as ReportingPeriodKind;
  if (!REPORTING_PERIODS.includes(reportingPeriod)) {
    c.add('reportingPeriod', 'enum', `must be one of ${REPORTING_PERIODS.join(', ')}`, r.reportingPeriod);
  }

  const targets: Target[] = list('targets', r.targets, 1).map((t, i) => {
    const f = `targets[${i}]`;
    const indicator = t.indicator as Indicator;
    if (!INDICATORS.includes(indicator))
      c.add(`${f}.indicator`, 'enum', `must be one of ${INDICATORS.join(', ')}`, t.indicator);
    if (!Number.isSafeInteger(t.value) || (t.value as number) <= 0) {
      c.add(`${f}.value`, 'positive-integer', 'must be a positive whole number', t.value);
    }
    const deadline = date(`${f}.deadline`, t.deadline);
    if (deadline && start && end && !isWithin(deadline, start, end)) {
      c.add(`${f}.deadline`, 'within-period', `must lie within the project period ${start}..${end}`, deadline);
    }
    return {
      id: slug(`${f}.id`, t.id),
      title: str(`${f}.title`, t.title),
      indicator,
      value: t.value as number,
      deadline,
    };
  });
  unique(
    'targets',
    targets.map((t) => t.id),
  );

  const partners: Partner[] = list('partners', r.partners, 0).map((p, i) => {
    const f = `partners[${i}]`;
    const joinedOn = date(`${f}.joinedOn`, p.joinedOn);
    if (joinedOn && start && end && !isWithin(joinedOn, start, end)) {
      c.add(`${f}.joinedOn`, 'within-period', `must lie within the project period ${start}..${end}`, joinedOn);
    }
    return {
      id: slug(`${f}.id`, p.id),
      name: str(`${f}.name`, p.name),
      municipality: str(`${f}.municipality`, p.municipality),
      joinedOn,
    };
  });
  unique(
    'partners',
    partners.map((p) => p.id),
  );

  const budgetCategories: BudgetCategory[] = list('budgetCategories', r.budgetCategories, 1).map((b, i) => ({
    id: slug(`budgetCategories[${i}].id`, b.id),
    name: str(`budgetCategories[${i}].name`, b.name),
  }));
  unique(
    'budgetCategories',
    budgetCategories.map((b) => b.id),
  );

  const ageBands: AgeBand[] = list('ageBands', r.ageBands, 1).map((a, i) => {
    const f = `ageBands[${i}]`;
    const okAge = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 130;
    if (!okAge(a.minAge)) c.add(`${f}.minAge`, 'age', 'must be a whole number of years 0-130', a.minAge);
    if (a.maxAge !== null && (!okAge(a.maxAge) || (a.maxAge as number) < (a.minAge as number))) {
      c.add(`${f}.maxAge`, 'age', 'must be null (open-ended) or a whole number >= minAge', a.maxAge);
    }
    return {
      id: slug(`${f}.id`, a.id),
      label: str(`${f}.label`, a.label),
      minAge: a.minAge as number,
      maxAge: a.maxAge as number | null,
    };
  });
  unique(
    'ageBands',
    ageBands.map((a) => a.id),
  );

  c.throwIfAny();
  return {
    code,
    title,
    titleEn,
    implementingBody,
    fund,
    period: { start, end },
    currency: 'EUR',
    envelopeCents: envelopeCents!,
    coFinancing: { esfPlusBp: esfPlusBp as number, nationalBp: nationalBp as number },
    reportingPeriod,
    targets,
    partners,
    budgetCategories,
    ageBands,
  };
}
