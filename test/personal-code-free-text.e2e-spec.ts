// No personal code may reach events, metadata, logs or answers. Persons are named only through
// recipient.personalCode (pseudonymized on arrival); every free text, reference, name and id a
// client sends, and the Idempotency-Key and X-Correlation-Id headers, are refused with 422 naming
// the field when they hold something shaped like a code, and nothing is written. No answer quotes
// a personal-code field or a code-shaped value back.
import request from 'supertest';
import fc from 'fast-check';
import { validPersonalCode } from './support/personal-code-arbitrary';
import { validatePersonalCode } from '@ihl/privacy';
import {
  REFERENCE,
  lithuanianCode,
  seedProject,
  startLedgerTestApp,
  type LedgerTestApp,
  url,
} from './support/ledger-test-app';

const SEED = 20240615;
const RUNS = 30;
const TIMEOUT = 120_000;
const PERSON = lithuanianCode('4860318174'); // woman born 1986-03-18

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Body = { [k: string]: Json };
type Who = 'admin' | 'auditor' | 'finance' | 'partnerA';

// ---- code-shaped values ------------------------------------------------------------------------

const validCode = validPersonalCode;

/** The code as people type it: bare, or in 2-4 groups joined by single spaces or dashes. */
const typedCode = (code: string, separators: readonly string[]) =>
  fc.oneof(
    fc.constant(code),
    fc
      .record({
        cuts: fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 3 }),
        sep: fc.constantFrom(...separators),
      })
      .map(({ cuts, sep }) => {
        const at = [0, ...[...cuts].sort((a, b) => a - b), code.length];
        return at
          .slice(1)
          .map((end, k) => code.slice(at[k], end))
          .join(sep);
      }),
  );

interface Shaped {
  readonly code: string;
  readonly typed: string;
  readonly value: string;
}

/** A code-shaped value for a text field: alone, or in words (letters may touch the digits). */
const inText: fc.Arbitrary<Shaped> = validCode.chain((code) =>
  typedCode(code, [' ', '-', ' - ']).chain((typed) =>
    fc
      .record({
        before: fc.constantFrom('', 'a.k. ', 'kodas', 'Klientas ', 'ref-', '('),
        after: fc.constantFrom('', '.', ' atsisakė', ')', '-x', ', 2 val.'),
      })
      .map(({ before, after }) => ({ code, typed, value: before + typed + after })),
  ),
);

/** A code-shaped header value: only characters a header may carry. */
const inHeader: fc.Arbitrary<Shaped> = validCode.chain((code) =>
  typedCode(code, ['-', ' ']).chain((typed) =>
    fc
      .record({ before: fc.constantFrom('', 'req-', 'client:'), after: fc.constantFrom('', '-retry', '.1') })
      .map(({ before, after }) => ({ code, typed, value: before + typed + after })),
  ),
);

// ---- valid bodies ------------------------------------------------------------------------------

const KINDS = {
  'service-deliveries': {
    kind: 'service-delivered',
    body: (): Body => ({
      occurredOn: '2024-05-10',
      service: 'nursing',
      targetGroup: 'elderly',
      setting: 'home',
      durationMinutes: 60,
      recipient: { personalCode: PERSON, profile: { sex: 'female', birthYear: 1986 } },
      workerRef: 'W-17',
      teamRef: 'mobile.team-2',
    }),
    text: ['workerRef', 'teamRef'],
  },
  'caregiver-consultations': {
    kind: 'caregiver-consultation',
    body: (): Body => ({ occurredOn: '2024-05-10', topic: 'preparing-to-care', durationMinutes: 45, familyMembers: 2 }),
    text: ['workerRef'],
  },
  'psychological-support': {
    kind: 'psychological-support',
    body: (): Body => ({
      occurredOn: '2024-05-10',
      recipientKind: 'family-caregiver',
      format: 'group',
      durationMinutes: 90,
      participants: 6,
    }),
    text: ['workerRef'],
  },
  trainings: {
    kind: 'training-held',
    body: (): Body => ({
      occurredOn: '2024-05-10',
      trainingKind: 'competence',
      topic: 'Safe transfer',
      durationMinutes: 480,
      participants: 12,
    }),
    text: ['topic'],
  },
  'equipment-procurements': {
    kind: 'equipment-procured',
    body: (): Body => ({
      occurredOn: '2024-05-10',
      category: 'nursing-aid',
      description: 'Patient hoist',
      quantity: 2,
      unitPrice: '1499.99',
      total: '2999.98',
      supplier: 'UAB Medika',
      contractRef: 'SUT-2024-17',
    }),
    text: ['description', 'supplier', 'contractRef'],
  },
  'promotion-events': {
    kind: 'promotion-event',
    body: (): Body => ({ occurredOn: '2024-05-10', audience: 'community', title: 'Open day', attendees: 40 }),
    text: ['title'],
  },
} as const;
type Kind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as Kind[];

const EXPENDITURE: Body = {
  categoryId: 'staff',
  amount: '1234.56',
  occurredOn: '2024-05-31',
  documentRef: 'INV-2024-001',
  description: 'May salaries of the mobile team',
};

/** One free-text field of one write endpoint: where the value goes and the field the answer names. */
interface FieldCase {
  readonly label: string;
  readonly method: 'post' | 'put';
  readonly path: () => string;
  readonly who: Who;
  readonly body: (value: string) => Body;
  readonly field: string;
}

const set = (body: Body, path: readonly (string | number)[], value: Json): Body => {
  const copy = JSON.parse(JSON.stringify(body)) as Body;
  let at: Json = copy;
  for (const k of path.slice(0, -1)) at = (at as Record<string, Json>)[k as string] as Json;
  (at as Record<string, Json>)[path[path.length - 1] as string] = value;
  return copy;
};

describe('personal codes in free text and headers are refused, and never quoted back', () => {
  let t: LedgerTestApp;
  const ids = { activity: {} as Record<Kind, string>, expenditure: '' };

  beforeAll(async () => {
    // Off: hundreds of writes per token here; the limiter has its own tests.
    t = await startLedgerTestApp(undefined, { RATE_LIMIT_WRITES_PER_MINUTE: '0', RATE_LIMIT_READS_PER_MINUTE: '0' });
    await seedProject(t);
    for (const kind of KIND_NAMES) {
      const res = await request(t.base)
        .post(url(`/activities/${kind}`))
        .set(t.as('partnerA'))
        .send(KINDS[kind].body())
        .expect(201);
      ids.activity[kind] = res.body.activityId;
    }
    ids.expenditure = (
      await request(t.base).post(url('/expenditures')).set(t.as('partnerA')).send(EXPENDITURE).expect(201)
    ).body.expenditureId;
  }, TIMEOUT);
  afterAll(() => t?.close());

  const send = (
    c: { method: 'post' | 'put'; path: string; who: Who },
    body: Body,
    headers: Record<string, string> = {},
  ) => request(t.base)[c.method](c.path).set(t.as(c.who)).set(headers).send(body);

  /** 422 naming the field with rule no-personal-code, nothing written, the code nowhere in the answer. */
  async function expectRefused(
    act: () => Promise<request.Response>,
    field: string,
    shaped: Shaped,
    label: string,
  ): Promise<void> {
    const before = await t.store.headPosition();
    const res = await act();
    const after = await t.store.headPosition();
    const answer = JSON.stringify(res.body);
    const what = `${label} = ${JSON.stringify(shaped.value)}: ${res.status} ${answer}`;
    expect({ what, status: res.status }).toEqual({ what, status: 422 });
    expect({ what, written: after !== before }).toEqual({ what, written: false });
    expect(res.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', message: expect.any(String) });
    expect({ what, issues: res.body.issues }).toEqual({
      what,
      issues: expect.arrayContaining([
        { field, rule: 'no-personal-code', message: expect.stringMatching(/personal code/) },
      ]),
    });
    for (const quoted of [shaped.code, shaped.typed, shaped.value])
      expect({ what, quotes: answer.includes(quoted) }).toEqual({ what, quotes: false });
  }

  async function check(cases: readonly FieldCase[]): Promise<void> {
    // Every field once with a bare code, then random fields, codes and groupings.
    const bare = { code: '46101010009', typed: '46101010009', value: '46101010009' };
    const examples = cases.map((c): [FieldCase, Shaped] => [c, bare]);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), inText, async (c, shaped) => {
        await expectRefused(
          () => send({ method: c.method, path: c.path(), who: c.who }, c.body(shaped.value)),
          c.field,
          shaped,
          `${c.method.toUpperCase()} ${c.path()} ${c.field}`,
        );
      }),
      { seed: SEED, numRuns: RUNS + examples.length, examples },
    );
  }

  const submissions: FieldCase[] = KIND_NAMES.flatMap((kind) =>
    [...KINDS[kind].text, 'partnerId'].map((field) => ({
      label: `submit ${kind}`,
      method: 'post' as const,
      path: () => url(`/activities/${kind}`),
      who: 'partnerA' as const,
      body: (v: string) => set(KINDS[kind].body(), [field], v),
      field,
    })),
  );
  const corrections: FieldCase[] = KIND_NAMES.flatMap((kind) =>
    [...KINDS[kind].text, 'reason'].map((field) => ({
      label: `correct ${kind}`,
      method: 'post' as const,
      path: () => url(`/activities/${kind}/${ids.activity[kind]}/corrections`),
      who: 'partnerA' as const,
      body: (v: string) =>
        set({ ...KINDS[kind].body(), occurredOn: '2024-05-11', reason: 'date was wrong' }, [field], v),
      field,
    })),
  );
  const decisions: FieldCase[] = (
    [
      ['void', 'partnerA', 'reason', 'promotion-events'],
      ['verify', 'auditor', 'note', 'trainings'],
      ['reject', 'auditor', 'reason', 'promotion-events'],
      ['restatement/approve', 'auditor', 'note', 'trainings'],
      ['restatement/decline', 'auditor', 'reason', 'trainings'],
    ] as const
  ).map(([action, who, field, kind]) => ({
    label: action,
    method: 'post',
    path: () => url(`/activities/${ids.activity[kind]}/${action}`),
    who,
    body: (v: string) => ({ [field]: v }),
    field,
  }));
  const batch: FieldCase[] = KIND_NAMES.flatMap((kind) =>
    [...KINDS[kind].text, 'partnerId'].map((field) => ({
      label: `batch ${kind}`,
      method: 'post' as const,
      path: () => url('/activities/batch'),
      who: 'partnerA' as const,
      body: (v: string) => ({
        records: [
          { kind: 'promotion-event', ...KINDS['promotion-events'].body(), title: 'Batch open day' },
          set({ kind: KINDS[kind].kind, ...KINDS[kind].body() }, [field], v),
        ],
      }),
      field: `records[1].${field}`,
    })),
  );
  const expenditures: FieldCase[] = [
    ...['documentRef', 'description', 'categoryId', 'partnerId'].map((field) => ({
      label: 'declare',
      method: 'post' as const,
      path: () => url('/expenditures'),
      who: 'partnerA' as const,
      body: (v: string) => set({ ...EXPENDITURE, documentRef: 'INV-PC-1' }, [field], v),
      field,
    })),
    ...['documentRef', 'description', 'reason'].map((field) => ({
      label: 'correct',
      method: 'post' as const,
      path: () => url(`/expenditures/${ids.expenditure}/corrections`),
      who: 'partnerA' as const,
      body: (v: string) => set({ ...EXPENDITURE, reason: 'typo in the text' }, [field], v),
      field,
    })),
    {
      label: 'void',
      method: 'post',
      path: () => url(`/expenditures/${ids.expenditure}/void`),
      who: 'partnerA',
      body: (v) => ({ reason: v }),
      field: 'reason',
    },
    {
      label: 'verify',
      method: 'post',
      path: () => url(`/expenditures/${ids.expenditure}/verify`),
      who: 'finance',
      body: (v) => ({ eligible: '1000.00', ineligible: '234.56', note: v, ineligibleReason: 'not-in-approved-budget' }),
      field: 'note',
    },
  ];
  const project = (): Body => ({ ...(REFERENCE as Body), code: 'PC-FREE-TEXT-1' });
  const admin: FieldCase[] = [
    ...(
      [
        [['code'], 'code'],
        [['title'], 'title'],
        [['titleEn'], 'titleEn'],
        [['implementingBody'], 'implementingBody'],
        [['fund'], 'fund'],
        [['targets', 0, 'id'], 'targets[0].id'],
        [['targets', 0, 'title'], 'targets[0].title'],
        [['partners', 0, 'id'], 'partners[0].id'],
        [['partners', 0, 'name'], 'partners[0].name'],
        [['partners', 0, 'municipality'], 'partners[0].municipality'],
        [['budgetCategories', 0, 'id'], 'budgetCategories[0].id'],
        [['budgetCategories', 0, 'name'], 'budgetCategories[0].name'],
        [['ageBands', 0, 'id'], 'ageBands[0].id'],
        [['ageBands', 0, 'label'], 'ageBands[0].label'],
        [['notes', 1], 'notes'],
      ] as const
    ).map(([path, field]) => ({
      label: 'register project',
      method: 'post' as const,
      path: () => '/api/v1/projects',
      who: 'admin' as const,
      body: (v: string) => set(project(), path, v),
      field,
    })),
    ...['id', 'name', 'municipality'].map((field) => ({
      label: 'register partner',
      method: 'post' as const,
      path: () => url('/partners'),
      who: 'admin' as const,
      body: (v: string) =>
        set({ id: 'pc-spc', name: 'PC SPC', municipality: 'Utena', joinedOn: '2023-03-01' }, [field], v),
      field,
    })),
    {
      label: 'lock',
      method: 'post',
      path: () => url('/periods/2024-Q1/lock'),
      who: 'auditor',
      body: (v) => ({ note: v }),
      field: 'note',
    },
    {
      label: 'reopen',
      method: 'post',
      path: () => url('/periods/2024-Q1/reopen'),
      who: 'auditor',
      body: (v) => ({ reason: v }),
      field: 'reason',
    },
    {
      label: 'erasure',
      method: 'post',
      path: () => '/api/v1/persons/erasures',
      who: 'admin',
      body: (v) => ({ personalCode: PERSON, reason: v }),
      field: 'reason',
    },
  ];

  it('the valid bodies used here are accepted (so a refusal below is the code’s doing)', async () => {
    for (const kind of KIND_NAMES) {
      await send({ method: 'post', path: url(`/activities/${kind}`), who: 'partnerA' }, KINDS[kind].body()).expect(201);
    }
    await send(
      { method: 'post', path: url('/activities/batch'), who: 'partnerA' },
      { records: KIND_NAMES.map((kind) => ({ kind: KINDS[kind].kind, ...KINDS[kind].body() })) },
    ).expect(201);
    await send({ method: 'post', path: '/api/v1/projects', who: 'admin' }, { ...project(), code: 'PC-OK' }).expect(201);
  });

  it(
    'activity submissions: every free-text field with a code gets 422 naming it, nothing written',
    () => check(submissions),
    TIMEOUT,
  );
  it('activity corrections: the same, and the reason', () => check(corrections), TIMEOUT);
  it('void, verify, reject, restatement decisions: reason and note', () => check(decisions), TIMEOUT);
  it('batch: nested records are checked with the same rules, the field names the record', () => check(batch), TIMEOUT);
  it('expenditures: declare, correct, void, verify', () => check(expenditures), TIMEOUT);
  it('project, partner, period and erasure writes by admins and auditors', () => check(admin), TIMEOUT);

  it(
    'Idempotency-Key and X-Correlation-Id with a code get 422 naming the header, nothing written',
    async () => {
      const writes = [
        {
          method: 'post' as const,
          path: url('/activities/promotion-events'),
          who: 'partnerA' as const,
          body: KINDS['promotion-events'].body(),
        },
        {
          method: 'post' as const,
          path: url('/expenditures'),
          who: 'partnerA' as const,
          body: { ...EXPENDITURE, documentRef: 'INV-PC-2' },
        },
        {
          method: 'post' as const,
          path: url(`/activities/${ids.activity.trainings}/verify`),
          who: 'auditor' as const,
          body: {},
        },
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...writes),
          fc.constantFrom('Idempotency-Key', 'X-Correlation-Id'),
          inHeader,
          async (w, header, shaped) => {
            await expectRefused(
              () => send(w, w.body, { [header]: shaped.value }),
              header,
              shaped,
              `${w.path} ${header}`,
            );
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      // A malformed correlation id is still replaced, not refused: it carries nothing of the client's.
      const ok = await send(
        writes[0]!,
        { ...KINDS['promotion-events'].body(), title: 'Malformed correlation' },
        {
          'X-Correlation-Id': 'has spaces, not allowed',
        },
      ).expect(201);
      const [event] = await t.store.readStream(ok.body.streamId);
      expect(event!.metadata.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    },
    TIMEOUT,
  );

  describe('a malformed personal code is refused without being quoted', () => {
    /** Valid code plus a digit, a digit changed, a digit dropped, or the valid code typed in groups. */
    const malformed = validCode.chain((code) =>
      fc.oneof(
        fc.integer({ min: 0, max: 9 }).map((d) => `${code}${d}`),
        fc.integer({ min: 0, max: 9 }).map((d) => `${d}${code}`),
        fc
          .record({ at: fc.integer({ min: 0, max: 10 }), d: fc.integer({ min: 1, max: 9 }) })
          .map(({ at, d }) => code.slice(0, at) + String((Number(code[at]) + d) % 10) + code.slice(at + 1))
          .filter((c) => !validatePersonalCode(c).ok),
        fc.integer({ min: 0, max: 10 }).map((at) => code.slice(0, at) + code.slice(at + 1)),
        fc.constant(`${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}1`),
      ),
    );
    const where = [
      {
        field: 'recipient.personalCode',
        path: url('/activities/service-deliveries'),
        who: 'partnerA' as const,
        body: (c: string) => set(KINDS['service-deliveries'].body(), ['recipient', 'personalCode'], c),
      },
      {
        field: 'recipient.personalCode',
        path: url(`/activities/service-deliveries/__id__/corrections`),
        who: 'partnerA' as const,
        body: (c: string) =>
          set({ ...KINDS['service-deliveries'].body(), reason: 'wrong person' }, ['recipient', 'personalCode'], c),
      },
      {
        field: 'records[1].recipient.personalCode',
        path: url('/activities/batch'),
        who: 'partnerA' as const,
        body: (c: string) => ({
          records: [
            { kind: 'promotion-event', ...KINDS['promotion-events'].body() },
            set({ kind: 'service-delivered', ...KINDS['service-deliveries'].body() }, ['recipient', 'personalCode'], c),
          ],
        }),
      },
      {
        field: 'personalCode',
        path: '/api/v1/persons/erasures',
        who: 'admin' as const,
        body: (c: string) => ({ personalCode: c, reason: 'data subject request' }),
      },
    ];

    it(
      'in recipient.personalCode (also nested in a batch) and in an erasure: 4xx naming it, the value nowhere',
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...where), malformed, async (w, sent) => {
            const path = w.path.replace('__id__', ids.activity['service-deliveries']);
            const before = await t.store.headPosition();
            const res = await send({ method: 'post', path, who: w.who }, w.body(sent));
            const answer = JSON.stringify(res.body);
            const what = `${path} ${w.field} = ${sent}: ${res.status} ${answer}`;
            expect({ what, status: res.status >= 400 && res.status < 500 }).toEqual({ what, status: true });
            expect({ what, written: (await t.store.headPosition()) !== before }).toEqual({ what, written: false });
            expect({ what, named: res.body.issues?.some((i: { field: string }) => i.field === w.field) }).toEqual({
              what,
              named: true,
            });
            for (const quoted of [sent, sent.replace(/\D/g, '')])
              expect({ what, quotes: answer.includes(quoted) }).toEqual({ what, quotes: false });
          }),
          { seed: SEED, numRuns: RUNS },
        );
      },
      TIMEOUT,
    );
  });

  it('a code sent elsewhere (path, If-Match, an unknown field, a field name) is not quoted back', async () => {
    const code = lithuanianCode('3870318174');
    const answers = [
      await request(t.base).get(`/api/v1/projects/${code}/progress`).set(t.as('auditor')),
      await send(
        { method: 'post', path: url(`/activities/${ids.activity.trainings}/void`), who: 'partnerA' },
        {
          reason: 'entered twice',
        },
      ).set('If-Match', `"${code}x"`),
      await send(
        { method: 'post', path: url('/activities/promotion-events'), who: 'partnerA' },
        {
          ...KINDS['promotion-events'].body(),
          asmensKodas: code,
        },
      ),
      await send(
        { method: 'post', path: url('/activities/promotion-events'), who: 'partnerA' },
        {
          ...KINDS['promotion-events'].body(),
          [code]: 'x',
        },
      ),
      await send({ method: 'post', path: url('/activities/batch'), who: 'partnerA' }, { records: [{ kind: code }] }),
    ];
    for (const res of answers) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.stringify(res.body)).not.toContain(code);
    }
    // The ordinary answers still quote what is not a code, so a person can see what was wrong.
    const bad = await send(
      { method: 'post', path: url('/activities/promotion-events'), who: 'partnerA' },
      {
        ...KINDS['promotion-events'].body(),
        attendees: 'many',
      },
    ).expect(400);
    expect(bad.body.issues).toContainEqual(expect.objectContaining({ field: 'attendees', value: 'many' }));
  });

  it('ordinary text with phone, account and invoice numbers is not mistaken for a code', async () => {
    await send(
      { method: 'post', path: url('/activities/trainings'), who: 'partnerA' },
      {
        ...KINDS.trainings.body(),
        topic:
          'Call +370 612 34567 or 8 612 34567; room 12, 2024-05-10, invoice 123456789012, IBAN LT12 1000 0111 0100 1000',
      },
    ).expect(201);
  });
});
