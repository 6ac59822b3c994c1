import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import fc from 'fast-check';
import { ACTIVITY_ROUTES } from '../activities/activity-routes';
import { DeclareExpenditureDto } from '../expenditures/expenditure.dto';
import { importRowValidator } from '../imports/import-row-validator';
import { certainlyValid } from './dto-fast-check';
import { flatten } from './validation.pipe';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };
const CODE = '38703181745';

/** A valid body of each kind: the generator breaks some of its fields. */
const VALID: Record<string, Record<string, unknown>> = {
  'service-delivered': {
    occurredOn: '2024-03-15',
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 30,
    recipient: { personalCode: CODE, profile: { sex: 'female', birthYear: 1948, disability: true } },
    workerRef: 'nurse-1',
    teamRef: 'team.a',
  },
  'caregiver-consultation': {
    occurredOn: '2024-03-15',
    topic: 'preparing-to-care',
    durationMinutes: 60,
    familyMembers: 2,
    workerRef: 'w1',
  },
  'psychological-support': {
    occurredOn: '2024-03-15',
    recipientKind: 'worker',
    format: 'group',
    durationMinutes: 90,
    participants: 8,
  },
  'training-held': {
    occurredOn: '2024-03-15',
    trainingKind: 'competence',
    topic: 'Slauga',
    durationMinutes: 480,
    participants: 12,
  },
  'equipment-procured': {
    occurredOn: '2024-03-15',
    category: 'device',
    description: 'Keltuvas',
    quantity: 2,
    unitPrice: '1200.00',
    total: '2400.00',
    supplier: 'UAB Tiekėjas',
    contractRef: 'S-1/2024',
  },
  'promotion-event': { occurredOn: '2024-03-15', audience: 'community', title: 'Renginys', attendees: 40 },
  expenditure: {
    categoryId: 'staff',
    amount: '1234.56',
    occurredOn: '2024-03-15',
    documentRef: 'PVM-1',
    description: 'Atlyginimai',
    documentDate: '2024-03-16',
    supplier: { name: 'UAB X', code: '302456789' },
    vatTreatment: 'recoverable',
  },
};

/** Values every field may be broken to: wrong types, bounds, shapes, personal codes, unknown keys. */
const BROKEN = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    '',
    ' ',
    0,
    -1,
    1.5,
    1441,
    100001,
    '30',
    true,
    'false',
    [],
    {},
    [{}],
    '2024-3-15',
    '2024.03.15',
    '1234.5',
    '12,50',
    'x'.repeat(301),
    `text ${CODE}`,
    CODE,
    '3870318174',
    '6b1c3e4e-3f0a-4a9b-9a5e-0d4f7c2b9e11',
    'not-a-uuid',
    'visaginas-spc',
    'Visaginas SPC',
    { personalCode: CODE },
    { personalCode: 38703181745 },
    { personalCode: CODE, profile: { sex: 'other' } },
    { personalCode: CODE, profile: { birthYear: 1899 } },
    { personalCode: CODE, extra: 1 },
    { name: 'UAB X' },
    { name: `UAB ${CODE}` },
    { code: '302456789' },
  ),
  fc.anything({ maxDepth: 1 }),
);

const kinds = Object.keys(VALID);
const FIELDS = ['activityId', 'partnerId', 'expenditureId', 'note', 'kind', 'unknown'];

/** A kind and its valid body with a few fields broken, dropped or added. */
const body = fc
  .tuple(
    fc.constantFrom(...kinds),
    fc.array(fc.tuple(fc.nat(20), fc.oneof(BROKEN, fc.constant('drop'))), { maxLength: 3 }),
  )
  .map(([kind, changes]) => {
    const b: Record<string, unknown> = structuredClone(VALID[kind]!);
    const keys = [...Object.keys(b), ...FIELDS];
    for (const [i, value] of changes) {
      const key = keys[i % keys.length]!;
      if (value === 'drop') delete b[key];
      else b[key] = value;
    }
    return { kind, body: b };
  });

async function classValidatorIssues(kind: string, b: Record<string, unknown>) {
  const cls = kind === 'expenditure' ? DeclareExpenditureDto : ACTIVITY_ROUTES.find((r) => r.kind === kind)!.submitDto;
  const dto = plainToInstance(cls, b);
  return { dto, issues: flatten(await validate(dto, OPTIONS)) };
}

describe('certainlyValid', () => {
  it('gives class-validator’s verdict on valid and broken bodies of every record kind', async () => {
    let valid = 0;
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(body, async ({ kind, body: b }) => {
        const { dto, issues } = await classValidatorIssues(kind, b);
        expect(certainlyValid(dto)).toBe(issues.length === 0);
        if (issues.length === 0) valid++;
        else invalid++;
      }),
      { numRuns: 3000 },
    );
    // Both sides of the verdict were exercised, not only one.
    expect(valid).toBeGreaterThan(300);
    expect(invalid).toBeGreaterThan(300);
  });

  it('leaves the import validator’s answer as class-validator’s: the same issues, or the record', async () => {
    await fc.assert(
      fc.asyncProperty(body, async ({ kind, body: b }) => {
        const { issues } = await classValidatorIssues(kind, b);
        const checked = await importRowValidator.validate(kind as never, b);
        if (issues.length > 0) expect(checked).toEqual({ issues });
        else expect('issues' in checked).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it('answers false for an object class-validator knows no rules for', () => {
    expect(certainlyValid({})).toBe(false);
    expect(certainlyValid(new (class Plain {})())).toBe(false);
  });
});
