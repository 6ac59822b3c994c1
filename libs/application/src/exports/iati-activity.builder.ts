import { create } from 'xmlbuilder2';
import { formatMoney, type Cents, type IsoDate, type Partner, type ProjectDefinition } from '@ihl/domain';
import type { VerifiedExpenditure } from '../budget/budget-read-model.port';
import { cumulativeTo, reportingPeriods, splitByYear } from './export-calendar';

type Element = ReturnType<typeof create>;

/** An organisation as IATI names it: identifier and OrganisationType code. */
export interface IatiOrganisation {
  readonly ref: string;
  readonly type: string;
}

/**
 * ASSUMPTION: the reporting organisation. The project's promoter ("projekto vykdytojas") is the
 * European Social Fund Agency (ESFA), a public body (OrganisationType 15, other public sector).
 * "LT-RC" is the registration-agency prefix of the Lithuanian Register of Legal Entities; ESFA's
 * legal-entity code is not in the sources, so "ESFA" stands in for it. Replace it with the code
 * before publishing to the IATI Registry: the activity identifier is this ref + "-" + project code.
 */
export const IATI_REPORTING_ORG: IatiOrganisation = { ref: 'LT-RC-ESFA', type: '15' };

/** OECD DAC 5-digit purpose code 16010 "Social protection" (formerly "Social/welfare services"). */
const IATI_SECTOR = { vocabulary: '1', code: '16010' } as const;

export interface IatiActivityInput {
  readonly reportingOrg: IatiOrganisation;
  readonly definition: ProjectDefinition;
  /** Partners registered at the position, in registration order. */
  readonly partners: readonly Partner[];
  /**
   * The ledger the file describes: the last event included, when it was recorded, and the day that
   * counts as today (the day asked for with `?asOf=<day>`, else the day it was recorded, Vilnius).
   */
  readonly asOf: { readonly position: number; readonly recordedAt: string; readonly day: IsoDate };
  /** Unique persons by month of their first service (the persons-reached read model). */
  readonly newByMonth: Readonly<Record<string, number>>;
  readonly expenditures: readonly VerifiedExpenditure[];
}

const IATI_TRUE = '1';
const IATI_FALSE = '0';

/**
 * One IATI 2.03 activity file for the project, elements in the order of the 2.03 activity schema.
 * Everything in it, generated-datetime included, follows from the input, so the same ledger
 * position always gives the same bytes.
 */
export function buildIatiActivityXml(input: IatiActivityInput): string {
  const { definition: d, asOf, reportingOrg } = input;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('iati-activities', {
    version: '2.03',
    'generated-datetime': asOf.recordedAt,
  });
  const activity = root.ele('iati-activity', {
    'last-updated-datetime': asOf.recordedAt,
    'xml:lang': 'en',
    'default-currency': d.currency,
    hierarchy: '1',
  });
  activity.ele('iati-identifier').txt(`${reportingOrg.ref}-${d.code}`);
  narratives(activity.ele('reporting-org', { ref: reportingOrg.ref, type: reportingOrg.type }), d.implementingBody);
  const title = activity.ele('title');
  title.ele('narrative', { 'xml:lang': 'lt' }).txt(d.title);
  title.ele('narrative').txt(d.titleEn);
  const persons = d.targets.filter((t) => t.indicator === 'unique-persons-reached');
  narratives(
    activity.ele('description', { type: '1' }),
    [
      `${d.titleEn}. Funded by ${d.fund}.`,
      ...persons.map((t) => `Target: ${t.value} unique persons by ${t.deadline}.`),
      `Figures as recorded in the ledger up to position ${asOf.position}.`,
    ].join(' '),
  );
  // Funding: the agency that channels ESF+ and national co-financing; implementing: each partner.
  narratives(
    activity.ele('participating-org', { ref: reportingOrg.ref, role: '1', type: reportingOrg.type }),
    d.implementingBody,
  );
  for (const p of input.partners) narratives(activity.ele('participating-org', { role: '4' }), p.name);
  activity.ele('activity-status', { code: activityStatus(d.period, asOf.day) });
  activity.ele('activity-date', { type: '1', 'iso-date': d.period.start });
  if (asOf.day >= d.period.start) activity.ele('activity-date', { type: '2', 'iso-date': d.period.start });
  activity.ele('activity-date', { type: '3', 'iso-date': d.period.end });
  if (asOf.day > d.period.end) activity.ele('activity-date', { type: '4', 'iso-date': d.period.end });
  activity.ele('recipient-country', { code: 'LT', percentage: '100' });
  activity.ele('sector', { vocabulary: IATI_SECTOR.vocabulary, code: IATI_SECTOR.code, percentage: '100' });
  // IATI budgets span at most a year: the envelope is spread over the project's years by days,
  // an indicative split (status 1) until the grant agreement's annual plan is in the definition.
  for (const year of splitByYear(d.period.start, d.period.end, d.envelopeCents)) {
    const budget = activity.ele('budget', { type: '1', status: '1' });
    budget.ele('period-start', { 'iso-date': year.start });
    budget.ele('period-end', { 'iso-date': year.end });
    money(budget, d.currency, year.start, year.cents);
  }
  const partnerName = new Map(input.partners.map((p) => [p.id, p.name]));
  const categoryName = new Map(d.budgetCategories.map((c) => [c.id, c.name]));
  for (const x of input.expenditures) {
    // The category, not the partner's free-text description: that text may hold names.
    const tx = activity.ele('transaction', { ref: x.expenditureId });
    tx.ele('transaction-type', { code: '4' });
    tx.ele('transaction-date', { 'iso-date': x.occurredOn });
    money(tx, d.currency, x.occurredOn, x.eligibleCents);
    narratives(tx.ele('description'), categoryName.get(x.categoryId) ?? x.categoryId);
    narratives(tx.ele('provider-org'), partnerName.get(x.partnerId) ?? x.partnerId);
  }
  if (persons.length > 0) personsResult(activity, input, persons);
  return root.end({ prettyPrint: true }) + '\n';
}

/**
 * The unique-persons targets as one output result. Actuals are cumulative (persons reached from
 * the start to each period's end, each person once), so they must not be summed across periods:
 * aggregation-status 0. The target sits in the period that holds its deadline.
 */
function personsResult(activity: Element, input: IatiActivityInput, targets: ProjectDefinition['targets']): void {
  const d = input.definition;
  const result = activity.ele('result', { type: '1', 'aggregation-status': IATI_FALSE });
  narratives(result.ele('title'), 'Unique persons reached');
  for (const t of targets) {
    const indicator = result.ele('indicator', {
      measure: '1',
      ascending: IATI_TRUE,
      'aggregation-status': IATI_FALSE,
    });
    narratives(indicator.ele('title'), t.title);
    narratives(
      indicator.ele('description'),
      `Unique persons reached, cumulative from ${d.period.start} to the end of each ${d.reportingPeriod === 'quarterly' ? 'quarter' : 'month'}; ` +
        'a person counts once, from the date of their first service. The period holding the day of the file counts up to that day.',
    );
    indicator.ele('reference', { vocabulary: '99', code: t.id });
    indicator.ele('baseline', { year: d.period.start.slice(0, 4), value: '0' });
    for (const p of indicatorPeriods(input, t.deadline)) {
      const period = indicator.ele('period');
      period.ele('period-start', { 'iso-date': p.start });
      period.ele('period-end', { 'iso-date': p.end });
      if (p.target) period.ele('target', { value: String(t.value) });
      if (p.actual !== null) period.ele('actual', { value: String(p.actual) });
    }
  }
}

/**
 * The periods from the start to the day of the file (or to the latest first service, if later),
 * each with the cumulative actual, and the period that holds the deadline, with the target.
 */
function indicatorPeriods(
  input: IatiActivityInput,
  deadline: IsoDate,
): { start: IsoDate; end: IsoDate; target: boolean; actual: number | null }[] {
  const { definition: d, asOf } = input;
  const latestMonth = Object.keys(input.newByMonth).sort().pop();
  const reached = latestMonth && `${latestMonth}-01` > asOf.day ? `${latestMonth}-01` : asOf.day;
  const upTo = reached < d.period.end ? reached : d.period.end;
  const actuals = asOf.day >= d.period.start ? reportingPeriods(d.period.start, upTo, d.reportingPeriod, d.period) : [];
  const due = reportingPeriods(deadline, deadline, d.reportingPeriod, d.period)[0]!;
  const periods = actuals.some((p) => p.id === due.id) ? actuals : [...actuals, due];
  return periods.map((p) => ({
    start: p.start,
    end: p.end,
    target: p.id === due.id,
    actual: actuals.includes(p) ? cumulativeTo(input.newByMonth, p.end) : null,
  }));
}

/** ActivityStatus: 1 pipeline (before the start), 2 implementation, 3 finalisation (after the end). */
function activityStatus(period: ProjectDefinition['period'], day: IsoDate): string {
  if (day < period.start) return '1';
  return day > period.end ? '3' : '2';
}

function narratives(parent: Element, text: string): void {
  parent.ele('narrative').txt(text);
}

function money(parent: Element, currency: string, valueDate: IsoDate, cents: Cents): void {
  parent.ele('value', { currency, 'value-date': valueDate }).txt(formatMoney(cents));
}
