import { XMLParser } from 'fast-xml-parser';
import { parseProjectDefinition } from '@ihl/domain';
import { buildIatiActivityXml, IATI_REPORTING_ORG, type IatiActivityInput } from './iati-activity.builder';
import { reportingPeriods, splitByYear } from './export-calendar';

/** The iati-activity children in the order of the IATI 2.03 activity schema (xsd:sequence). */
const SCHEMA_ORDER = [
  'iati-identifier',
  'reporting-org',
  'title',
  'description',
  'participating-org',
  'other-identifier',
  'activity-status',
  'activity-date',
  'contact-info',
  'activity-scope',
  'recipient-country',
  'recipient-region',
  'location',
  'sector',
  'country-budget-items',
  'humanitarian-scope',
  'policy-marker',
  'collaboration-type',
  'default-flow-type',
  'default-finance-type',
  'default-aid-type',
  'default-tied-status',
  'budget',
  'planned-disbursement',
  'capital-spend',
  'transaction',
  'document-link',
  'related-activity',
  'legacy-data',
  'conditions',
  'result',
  'crs-add',
  'fss',
];

const definition = parseProjectDefinition({
  code: 'T-1',
  title: 'Bandomasis „projektas“ & kiti',
  titleEn: 'Test project & others',
  implementingBody: 'Test agency',
  fund: 'ESF+ test',
  period: { start: '2023-01-10', end: '2024-12-31' },
  currency: 'EUR',
  envelope: '1000.00',
  coFinancing: { esfPlusBp: 8500, nationalBp: 1500 },
  reportingPeriod: 'quarterly',
  targets: [
    { id: 'persons', title: 'Persons', indicator: 'unique-persons-reached', value: 10, deadline: '2024-12-31' },
  ],
  partners: [
    { id: 'a', name: 'Partner A <Šiauliai>', municipality: 'A', joinedOn: '2023-01-10' },
    { id: 'b', name: 'Partner B', municipality: 'B', joinedOn: '2023-02-01' },
  ],
  budgetCategories: [
    { id: 'staff', name: 'Staff' },
    { id: 'equipment', name: 'Equipment' },
  ],
  ageBands: [{ id: 'all', label: 'all', minAge: 0, maxAge: null }],
});

const input: IatiActivityInput = {
  reportingOrg: IATI_REPORTING_ORG,
  definition,
  partners: definition.partners,
  asOf: { position: 42, recordedAt: '2024-05-10T08:00:00.000Z', day: '2024-05-10' },
  newByMonth: { '2023-02': 2, '2023-03': 1, '2023-11': 3, '2024-04': 1 },
  expenditures: [
    { expenditureId: 'e-1', partnerId: 'a', categoryId: 'staff', occurredOn: '2023-03-31', eligibleCents: 123_45 },
    { expenditureId: 'e-2', partnerId: 'b', categoryId: 'equipment', occurredOn: '2024-01-15', eligibleCents: 1 },
  ],
};

const ordered = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true });
const plain = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) =>
    ['participating-org', 'activity-date', 'budget', 'transaction', 'period', 'narrative'].includes(name),
});
type Node = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parsed XML's shape is what the assertions check
type Parsed = any;

describe('buildIatiActivityXml', () => {
  const xml = buildIatiActivityXml(input);
  const doc = plain.parse(xml) as { 'iati-activities': Node & { 'iati-activity': Node } };
  const activity = doc['iati-activities']['iati-activity'] as Parsed;

  it('is one 2.03 activity whose generated-datetime is the time of the last event included', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(doc['iati-activities']).toMatchObject({ version: '2.03', 'generated-datetime': '2024-05-10T08:00:00.000Z' });
    expect(activity).toMatchObject({ 'default-currency': 'EUR', 'last-updated-datetime': '2024-05-10T08:00:00.000Z' });
    expect(activity['iati-identifier']).toBe('LT-RC-ESFA-T-1');
    expect(activity['reporting-org']).toMatchObject({ ref: 'LT-RC-ESFA', type: '15' });
  });

  it('puts the children of iati-activity in the schema order, with every required element', () => {
    const tree = ordered.parse(xml) as Node[];
    const activities = tree.find((n) => 'iati-activities' in n)!['iati-activities'] as Node[];
    const children = (activities.find((n) => 'iati-activity' in n)!['iati-activity'] as Node[]).map((n) =>
      Object.keys(n).find((k) => k !== ':@')!,
    );
    const ranks = children.map((c) => SCHEMA_ORDER.indexOf(c));
    expect(ranks).not.toContain(-1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const required of ['iati-identifier', 'reporting-org', 'title', 'description', 'participating-org'])
      expect(children).toContain(required);
    expect(children).toEqual(expect.arrayContaining(['activity-status', 'activity-date']));
  });

  it('escapes text and keeps both titles; partners are the implementing organisations', () => {
    expect(xml).toContain('Test project &amp; others');
    expect(activity.title.narrative).toEqual([
      { '#text': 'Bandomasis „projektas“ & kiti', 'xml:lang': 'lt' },
      'Test project & others',
    ]);
    const orgs = activity['participating-org'].map((o: Node) => [o.role, (o.narrative as string[])[0]]);
    expect(orgs).toEqual([
      ['1', 'Test agency'],
      ['4', 'Partner A <Šiauliai>'],
      ['4', 'Partner B'],
    ]);
  });

  it('dates and status follow the day of the file', () => {
    expect(activity['activity-status'].code).toBe('2');
    expect(activity['activity-date'].map((d: Node) => [d.type, d['iso-date']])).toEqual([
      ['1', '2023-01-10'],
      ['2', '2023-01-10'],
      ['3', '2024-12-31'],
    ]);
    const before = plain.parse(buildIatiActivityXml({ ...input, asOf: { ...input.asOf, day: '2023-01-09' } }));
    expect(before['iati-activities']['iati-activity']['activity-status'].code).toBe('1');
    const after = plain.parse(buildIatiActivityXml({ ...input, asOf: { ...input.asOf, day: '2025-01-01' } }));
    expect(after['iati-activities']['iati-activity']['activity-status'].code).toBe('3');
    expect(after['iati-activities']['iati-activity']['activity-date']).toHaveLength(4);
  });

  it('budgets: the envelope over the project years by days, summing to the envelope', () => {
    // 2023-01-10..2023-12-31 = 356 days, 2024 = 366 days: 100000 × 356 / 722 = 49307.479…, × 366 / 722 = 50692.520…
    expect(
      activity.budget.map((b: Node) => [(b['period-start'] as Node)['iso-date'], (b.value as Node)['#text']]),
    ).toEqual([
      ['2023-01-10', '493.07'],
      ['2024-01-01', '506.93'],
    ]);
    expect(activity.budget[1]['period-end']['iso-date']).toBe('2024-12-31');
    expect(activity.budget[0].value).toMatchObject({ currency: 'EUR', 'value-date': '2023-01-10' });
  });

  it('one expenditure transaction per verified expenditure, eligible amount in euros', () => {
    expect(
      activity.transaction.map((t: Parsed) => [
        t.ref,
        t['transaction-type'].code,
        t['transaction-date']['iso-date'],
        t.value['#text'],
        t.value['value-date'],
        t.description.narrative[0],
        t['provider-org'].narrative[0],
      ]),
    ).toEqual([
      ['e-1', '4', '2023-03-31', '123.45', '2023-03-31', 'Staff', 'Partner A <Šiauliai>'],
      ['e-2', '4', '2024-01-15', '0.01', '2024-01-15', 'Equipment', 'Partner B'],
    ]);
  });

  it('the persons result: baseline 0, cumulative actual per quarter to the day of the file, target in the deadline quarter', () => {
    const indicator = activity.result.indicator;
    expect(activity.result).toMatchObject({ type: '1', 'aggregation-status': '0' });
    expect(indicator).toMatchObject({ measure: '1', ascending: '1', 'aggregation-status': '0' });
    expect(indicator.reference).toMatchObject({ vocabulary: '99', code: 'persons' });
    expect(indicator.baseline).toMatchObject({ year: '2023', value: '0' });
    const rows = indicator.period.map((p: Parsed) => [
      p['period-start']['iso-date'],
      p['period-end']['iso-date'],
      p.target?.value ?? null,
      p.actual?.value ?? null,
    ]);
    // New: Feb 2, Mar 1, Nov 3, Apr 2024 1 → cumulative 3, 3, 3, 6, 6, 7; the file's day is in 2024-Q2.
    expect(rows).toEqual([
      ['2023-01-10', '2023-03-31', null, '3'],
      ['2023-04-01', '2023-06-30', null, '3'],
      ['2023-07-01', '2023-09-30', null, '3'],
      ['2023-10-01', '2023-12-31', null, '6'],
      ['2024-01-01', '2024-03-31', null, '6'],
      ['2024-04-01', '2024-06-30', null, '7'],
      ['2024-10-01', '2024-12-31', '10', null],
    ]);
  });

  it('is deterministic: the same input gives the same bytes', () => {
    expect(buildIatiActivityXml(input)).toBe(xml);
  });
});

describe('export calendar', () => {
  it('splitByYear: proportional to days, largest remainder, exact sum', () => {
    // 2023-07-01..12-31 = 184 days, 2024-01-01..06-30 = 182 days (leap year): 5027.32… and 4972.67…
    expect(splitByYear('2023-07-01', '2024-06-30', 10_000).map((y) => y.cents)).toEqual([5027, 4973]);
    const envelope = 4_394_021_200;
    const years = splitByYear('2022-12-08', '2026-12-31', envelope);
    expect(years.map((y) => [y.start, y.end])).toEqual([
      ['2022-12-08', '2022-12-31'],
      ['2023-01-01', '2023-12-31'],
      ['2024-01-01', '2024-12-31'],
      ['2025-01-01', '2025-12-31'],
      ['2026-01-01', '2026-12-31'],
    ]);
    expect(years.reduce((a, y) => a + y.cents, 0)).toBe(envelope);
    const days = [24, 365, 366, 365, 365];
    years.forEach((y, i) => expect(Math.abs(y.cents - (envelope * days[i]!) / 1485)).toBeLessThan(1));
  });

  it('reportingPeriods: quarters or months overlapping the range, clipped to the project', () => {
    const clip = { start: '2022-12-08', end: '2026-12-31' };
    expect(reportingPeriods('2022-12-08', '2023-04-01', 'quarterly', clip).map((p) => [p.id, p.start, p.end])).toEqual([
      ['2022-Q4', '2022-12-08', '2022-12-31'],
      ['2023-Q1', '2023-01-01', '2023-03-31'],
      ['2023-Q2', '2023-04-01', '2023-06-30'],
    ]);
    expect(reportingPeriods('2024-01-31', '2024-03-01', 'monthly', clip).map((p) => p.end)).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
    ]);
    expect(reportingPeriods('2024-02-01', '2024-01-01', 'quarterly', clip)).toEqual([]);
  });
});
