// Invariant 7: bad input gets a 4xx a person can act on (a message; for 400/422 the field and the
// rule of every issue) and nothing is written. For every POST/PUT route: arbitrary JSON, mutations
// of a valid body (fast-check, seeded), the money and date values that must be refused, raw
// malformed payloads, and malformed path parameters and headers.
//
// Each check collects what it finds instead of stopping at the first failure, so a failing test
// lists every distinct defect of its route (route, body sent, status, answer) at once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import fc from 'fast-check';
import type { INestApplication } from '@nestjs/common';
import { loadApiConfig } from '@ihl/config';
import { mintToken } from '@ihl/auth';
import { SqliteEventStore } from '@ihl/event-store';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { createApiApp } from '@ihl/http-api';

const REFERENCE = JSON.parse(readFileSync(join(__dirname, '../projects/07-003-P-0001.json'), 'utf8'));
const CODE: string = REFERENCE.code;
const P = `/api/v1/projects/${CODE}`;
const SECRET = 'request-fuzz-secret-long-enough-0123456789';
const TODAY = new Date('2024-06-15T10:00:00Z');
const BODY_LIMIT = 65_536;
const SEED = 42;
const ARBITRARY_RUNS = 12;
const MUTATION_RUNS = 28;
const PERSON = '4860318174' + String(personalCodeCheckDigit('4860318174'));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = readonly (string | number)[];
type Actor = 'admin' | 'auditor' | 'finance' | 'partner';

// ---- valid bodies ------------------------------------------------------------------------------

const KINDS = [
  'service-deliveries',
  'caregiver-consultations',
  'psychological-support',
  'trainings',
  'equipment-procurements',
  'promotion-events',
] as const;
type Kind = (typeof KINDS)[number];

function activityBody(kind: Kind, occurredOn: string): { [k: string]: Json } {
  switch (kind) {
    case 'service-deliveries':
      return {
        occurredOn,
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 60,
        recipient: { personalCode: PERSON, profile: { sex: 'female', birthYear: 1986, disability: true } },
        workerRef: 'W-17',
        teamRef: 'mobile.team-2',
      };
    case 'caregiver-consultations':
      return { occurredOn, topic: 'preparing-to-care', durationMinutes: 45, familyMembers: 2, workerRef: 'W-17' };
    case 'psychological-support':
      return { occurredOn, recipientKind: 'family-caregiver', format: 'group', durationMinutes: 90, participants: 6 };
    case 'trainings':
      return { occurredOn, trainingKind: 'competence', topic: 'Safe transfer', durationMinutes: 480, participants: 12 };
    case 'equipment-procurements':
      return {
        occurredOn,
        category: 'nursing-aid',
        description: 'Patient hoist',
        quantity: 2,
        unitPrice: '1499.99',
        total: '2999.98',
        supplier: 'UAB Medika',
        contractRef: 'SUT-2024-17',
      };
    case 'promotion-events':
      return { occurredOn, audience: 'community', title: 'Open day', attendees: 40 };
  }
}
const EXPENDITURE = {
  categoryId: 'staff',
  amount: '1234.56',
  occurredOn: '2024-05-31',
  documentRef: 'INV-2024-001',
  description: 'May salaries of the mobile team',
};

interface Endpoint {
  readonly name: string;
  readonly method: 'post' | 'put';
  readonly path: () => string;
  readonly actor: Actor;
  readonly valid: () => { [k: string]: Json };
  /** Paths of money fields and of date fields in the valid body. */
  readonly money?: readonly Path[];
  readonly dates?: readonly Path[];
}

// ---- values refused in money fields and in record dates (occurredOn) -----------------------------

const BAD_MONEY: readonly Json[] = [
  1234.56,
  1,
  0.1,
  1e3,
  -1,
  '1.5',
  '1e3',
  '-1.00',
  '1,00',
  '1.005',
  '01.00',
  ' 1.00',
  '1.00 ',
  '',
  '.50',
  '1.',
  'NaN',
  'Infinity',
  '0x10',
  '１.００',
  '99999999999999.99',
  null,
  true,
  ['1.00'],
  { amount: '1.00' },
];
const BAD_DATES: readonly Json[] = [
  '2022-12-07', // the day before the project started
  '2020-01-01',
  '2027-01-01', // after the project ended
  '2026-12-31', // last day of the project, but after today
  '2024-06-16', // tomorrow
  '2023-01-01', // before the partner joined (visaginas-spc: 2023-01-02)
  '2023-02-30',
  '2024-02-30',
  '2023-13-01',
  '2023-00-10',
  '0000-01-01',
  '9999-12-31',
  '2024-6-1',
  '2024-06-15T00:00:00Z',
  '15/06/2024',
  '',
  20240615,
  null,
];

// ---- body mutations ----------------------------------------------------------------------------

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const show = (p: Path) => (p.length === 0 ? '(body)' : p.join('.'));

function pathsOf(v: Json, prefix: Path = []): Path[] {
  if (v === null || typeof v !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  return entries.flatMap(([k, x]) => [[...prefix, k], ...pathsOf(x, [...prefix, k])]);
}
function objectPathsOf(v: Json, prefix: Path = []): Path[] {
  if (v === null || typeof v !== 'object') return [];
  const here = Array.isArray(v) ? [] : [prefix];
  const entries: [string | number, Json][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  return [...here, ...entries.flatMap(([k, x]) => objectPathsOf(x, [...prefix, k]))];
}
function getAt(v: Json, p: Path): Json {
  return p.reduce<Json>((o, k) => (o as Record<string, Json>)[k as string] as Json, v);
}
function setAt(body: Json, p: Path, value: Json | undefined): Json {
  const copy = clone(body);
  const parent = getAt(copy, p.slice(0, -1)) as Record<string | number, Json>;
  const key = p[p.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else parent[key] = value;
  return copy;
}
function deep(depth: number, kind: 'array' | 'object'): Json {
  let v: Json = 'bottom';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { nested: v };
  return v;
}

interface Case {
  readonly label: string;
  readonly body: Json;
}

const otherTypes = (orig: Json): fc.Arbitrary<Json> =>
  fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 20 }),
    fc.constant(null),
    fc.boolean(),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) as fc.Arbitrary<Json>,
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) as fc.Arbitrary<Json>,
    fc.constant<Json>([orig]),
    fc.constant<Json>({ value: orig }),
    fc.constant<Json>(typeof orig === 'string' ? Number(orig) || 0 : JSON.stringify(orig)),
  );

/** Mutations of a valid body: drop, add unknown, retype, bad money/dates, 10k strings, deep nesting. */
function mutationOf(e: Endpoint): fc.Arbitrary<Case> {
  const valid = e.valid();
  const paths = pathsOf(valid);
  const objects = objectPathsOf(valid);
  const arbs: fc.Arbitrary<Case>[] = [
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      )
      .filter(([p, k]) => !Object.prototype.hasOwnProperty.call(getAt(valid, p), k))
      .map(([p, k, v]) => ({ label: `add unknown ${show([...p, k])}`, body: setAt(valid, [...p, k], v) })),
    fc
      .tuple(fc.constantFrom(...objects), fc.integer({ min: 50, max: 3000 }), fc.constantFrom('array', 'object'))
      .map(([p, depth, kind]) => ({
        label: `add ${show([...p, 'deep'])} = ${kind} nested ${depth} deep`,
        body: setAt(valid, [...p, 'deep'], deep(depth, kind as 'array' | 'object')),
      })),
  ];
  if (paths.length > 0) {
    arbs.push(
      fc.constantFrom(...paths).map((p) => ({ label: `drop ${show(p)}`, body: setAt(valid, p, undefined) })),
      fc.constantFrom(...paths).chain((p) =>
        otherTypes(getAt(valid, p)).map((v) => ({
          label: `retype ${show(p)} = ${short(v)}`,
          body: setAt(valid, p, v),
        })),
      ),
      fc.tuple(fc.constantFrom(...paths), fc.constantFrom('x', 'ą', '9', ' ')).map(([p, ch]) => ({
        label: `${show(p)} = 10000 × "${ch}"`,
        body: setAt(valid, p, ch.repeat(10_000)),
      })),
      fc
        .tuple(fc.constantFrom(...paths), fc.integer({ min: 50, max: 3000 }), fc.constantFrom('array', 'object'))
        .map(([p, depth, kind]) => ({
          label: `${show(p)} = ${kind} nested ${depth} deep`,
          body: setAt(valid, p, deep(depth, kind as 'array' | 'object')),
        })),
    );
  }
  if (e.money?.length) {
    arbs.push(
      fc.tuple(fc.constantFrom(...e.money), fc.constantFrom(...BAD_MONEY)).map(([p, v]) => ({
        label: `money ${show(p)} = ${short(v)}`,
        body: setAt(valid, p, v),
      })),
    );
  }
  if (e.dates?.length) {
    arbs.push(
      fc.tuple(fc.constantFrom(...e.dates), fc.constantFrom(...BAD_DATES)).map(([p, v]) => ({
        label: `date ${show(p)} = ${short(v)}`,
        body: setAt(valid, p, v),
      })),
    );
  }
  return fc.oneof(...arbs);
}

/** Arbitrary JSON: anything at all, objects with random keys, the valid keys with random values. */
function arbitraryOf(e: Endpoint): fc.Arbitrary<Case> {
  const keys = Object.keys(e.valid());
  const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
  const arbs: fc.Arbitrary<Json>[] = [
    json,
    fc.dictionary(fc.string({ maxLength: 16 }), json, { maxKeys: 6 }) as fc.Arbitrary<Json>,
  ];
  if (keys.length > 0)
    arbs.push(fc.record(Object.fromEntries(keys.map((k) => [k, json])), { requiredKeys: [] }) as fc.Arbitrary<Json>);
  return fc.oneof(...arbs).map((body) => ({ label: 'arbitrary JSON', body }));
}

/** Every bad money and date value at every money and date field, deterministically. */
function enumeratedOf(e: Endpoint): Case[] {
  const valid = e.valid();
  return [
    ...(e.money ?? []).flatMap((p) =>
      BAD_MONEY.map((v) => ({ label: `money ${show(p)} = ${short(v)}`, body: setAt(valid, p, v) })),
    ),
    ...(e.dates ?? []).flatMap((p) =>
      BAD_DATES.map((v) => ({ label: `date ${show(p)} = ${short(v)}`, body: setAt(valid, p, v) })),
    ),
  ];
}

function short(v: unknown, max = 300): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

// ---- the app -----------------------------------------------------------------------------------

describe('bad requests get an actionable 4xx and write nothing (invariant 7), fuzzed', () => {
  let dir: string;
  let store: SqliteEventStore;
  let app: INestApplication;
  let base: string;
  const tokens = {} as Record<Actor, string>;
  const ids = { activity: {} as Record<Kind, string> } as {
    activity: Record<Kind, string>;
    voidable: string;
    expenditure: string;
    voidableExpenditure: string;
  };

  const ENDPOINTS: readonly Endpoint[] = [
    {
      name: 'POST /api/v1/persons/erasures',
      method: 'post',
      path: () => '/api/v1/persons/erasures',
      actor: 'admin',
      valid: () => ({ personalCode: PERSON, reason: 'data subject request' }),
    },
    {
      name: 'POST /api/v1/projects/:code/activities/batch',
      method: 'post',
      path: () => `${P}/activities/batch`,
      actor: 'partner',
      valid: () => ({
        records: [
          { kind: 'promotion-event', ...activityBody('promotion-events', '2024-05-11') },
          { kind: 'equipment-procured', ...activityBody('equipment-procurements', '2024-05-12') },
        ],
      }),
      money: [
        ['records', 1, 'unitPrice'],
        ['records', 1, 'total'],
      ],
      dates: [
        ['records', 0, 'occurredOn'],
        ['records', 1, 'occurredOn'],
      ],
    },
    {
      name: 'POST /api/v1/projects',
      method: 'post',
      path: () => '/api/v1/projects',
      actor: 'admin',
      valid: () => clone(REFERENCE),
      money: [['envelope']],
      dates: [
        ['period', 'start'],
        ['period', 'end'],
        ['targets', 0, 'deadline'],
        ['partners', 0, 'joinedOn'],
      ],
    },
    {
      name: 'POST /api/v1/projects/:code/partners',
      method: 'post',
      path: () => `${P}/partners`,
      actor: 'admin',
      valid: () => ({ id: 'fuzz-spc', name: 'Fuzz SPC', municipality: 'Fuzz', joinedOn: '2023-03-01' }),
      dates: [['joinedOn']],
    },
    {
      name: 'PUT /api/v1/projects/:code/allocations/:partnerId/:categoryId',
      method: 'put',
      path: () => `${P}/allocations/visaginas-spc/staff`,
      actor: 'finance',
      valid: () => ({ amount: '1000.00' }),
      money: [['amount']],
    },
    {
      name: 'POST /api/v1/projects/:code/periods/:periodId/lock',
      method: 'post',
      path: () => `${P}/periods/2026-Q4/lock`,
      actor: 'auditor',
      valid: () => ({}),
    },
    {
      name: 'POST /api/v1/projects/:code/periods/:periodId/reopen',
      method: 'post',
      path: () => `${P}/periods/2026-Q4/reopen`,
      actor: 'auditor',
      valid: () => ({ reason: 'locked by mistake' }),
    },
    ...KINDS.map((kind): Endpoint => ({
      name: `POST /api/v1/projects/:code/activities/${kind}`,
      method: 'post',
      path: () => `${P}/activities/${kind}`,
      actor: 'partner',
      valid: () => activityBody(kind, '2024-06-01'),
      money: kind === 'equipment-procurements' ? [['unitPrice'], ['total']] : [],
      dates: [['occurredOn']],
    })),
    ...KINDS.map((kind): Endpoint => ({
      name: `POST /api/v1/projects/:code/activities/${kind}/:id/corrections`,
      method: 'post',
      path: () => `${P}/activities/${kind}/${ids.activity[kind]}/corrections`,
      actor: 'partner',
      valid: () => ({ ...activityBody(kind, '2024-05-11'), reason: 'the date was entered wrong' }),
      money: kind === 'equipment-procurements' ? [['unitPrice'], ['total']] : [],
      dates: [['occurredOn']],
    })),
    {
      name: 'POST /api/v1/projects/:code/activities/:id/void',
      method: 'post',
      path: () => `${P}/activities/${ids.voidable}/void`,
      actor: 'partner',
      valid: () => ({ reason: 'entered by mistake' }),
    },
    {
      name: 'POST /api/v1/projects/:code/activities/:id/verify',
      method: 'post',
      path: () => `${P}/activities/${ids.activity.trainings}/verify`,
      actor: 'auditor',
      valid: () => ({ note: 'checked against the attendance sheet' }),
    },
    {
      name: 'POST /api/v1/projects/:code/activities/:id/reject',
      method: 'post',
      path: () => `${P}/activities/${ids.activity['promotion-events']}/reject`,
      actor: 'auditor',
      valid: () => ({ reason: 'no attendance sheet' }),
    },
    {
      name: 'POST /api/v1/projects/:code/activities/:id/restatement/approve',
      method: 'post',
      path: () => `${P}/activities/${ids.activity.trainings}/restatement/approve`,
      actor: 'auditor',
      valid: () => ({ note: 'documents seen' }),
    },
    {
      name: 'POST /api/v1/projects/:code/activities/:id/restatement/decline',
      method: 'post',
      path: () => `${P}/activities/${ids.activity.trainings}/restatement/decline`,
      actor: 'auditor',
      valid: () => ({ reason: 'no evidence of the change' }),
    },
    {
      name: 'POST /api/v1/projects/:code/expenditures',
      method: 'post',
      path: () => `${P}/expenditures`,
      actor: 'partner',
      valid: () => ({ ...EXPENDITURE, documentRef: 'INV-FUZZ-1' }),
      money: [['amount']],
      dates: [['occurredOn']],
    },
    {
      name: 'POST /api/v1/projects/:code/expenditures/:id/corrections',
      method: 'post',
      path: () => `${P}/expenditures/${ids.expenditure}/corrections`,
      actor: 'partner',
      valid: () => ({ ...EXPENDITURE, description: 'May salaries (corrected)', reason: 'typo in text' }),
      money: [['amount']],
      dates: [['occurredOn']],
    },
    {
      name: 'POST /api/v1/projects/:code/expenditures/:id/void',
      method: 'post',
      path: () => `${P}/expenditures/${ids.voidableExpenditure}/void`,
      actor: 'partner',
      valid: () => ({ reason: 'declared twice' }),
    },
    {
      name: 'POST /api/v1/projects/:code/expenditures/:id/verify',
      method: 'post',
      path: () => `${P}/expenditures/${ids.expenditure}/verify`,
      actor: 'finance',
      valid: () => ({
        eligible: '1000.00',
        ineligible: '234.56',
        note: 'one invoice line not eligible',
        ineligibleReason: 'not-in-approved-budget',
      }),
      money: [['eligible'], ['ineligible']],
    },
    // Quality (issue #19): a certificate, a survey's aggregated results (nested counts), planned places.
    {
      name: 'POST /api/v1/projects/:code/certifications',
      method: 'post',
      path: () => `${P}/certifications`,
      actor: 'auditor',
      valid: () => ({
        certificateId: '9f000000-0000-4000-8000-000000000001',
        partnerId: 'visaginas-spc',
        scheme: 'equass-assurance',
        services: ['care'],
        validFrom: '2023-03-24',
        validTo: '2025-03-23',
        certifyingBody: 'EQUASS (EPR)',
        certificateRef: 'EQUASS-A-2023-1',
      }),
      // No record-date rules: a certificate may predate the project or outlive it.
    },
    {
      name: 'POST /api/v1/projects/:code/surveys',
      method: 'post',
      path: () => `${P}/surveys`,
      actor: 'auditor',
      valid: () => ({
        surveyId: '9f000000-0000-4000-8000-000000000002',
        partnerId: 'visaginas-spc',
        respondentGroup: 'service-users',
        periodFrom: '2024-04-01',
        periodTo: '2024-05-31',
        respondents: 6,
        questions: [{ questionId: 'Q1', text: 'Ar esate patenkinti?', distribution: { satisfied: 5, neutral: 1 } }],
      }),
      dates: [['periodFrom'], ['periodTo']],
    },
    {
      name: 'PUT /api/v1/projects/:code/planned-places/:partnerId',
      method: 'put',
      path: () => `${P}/planned-places/visaginas-spc`,
      actor: 'admin',
      valid: () => ({ places: 40 }),
    },
  ];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-fuzz-'));
    const config = {
      ...loadApiConfig({
        LEDGER_JWT_SECRET: SECRET,
        DATA_DIR: dir,
        BODY_LIMIT_BYTES: String(BODY_LIMIT),
        LEDGER_PSEUDONYM_KEY: '1'.repeat(64),
        LEDGER_PROFILE_MASTER_KEY: '2'.repeat(64),
      }),
      // Off: thousands of requests per token here; the limiter has its own tests.
      rateLimitReadsPerMinute: 0,
      rateLimitWritesPerMinute: 0,
      rateLimitAnonymousPerMinute: 0,
    };
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    app = await createApiApp({ config, eventStore: store, clock: { now: () => TODAY }, logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    const s = { secret: SECRET, issuer: config.jwtIssuer };
    tokens.admin = await mintToken(s, { subject: 'admin-1', role: 'admin' });
    tokens.auditor = await mintToken(s, { subject: 'auditor-1', role: 'agency-auditor' });
    tokens.finance = await mintToken(s, { subject: 'finance-1', role: 'finance-officer' });
    tokens.partner = await mintToken(s, {
      subject: 'visaginas-user',
      role: 'partner-submitter',
      partnerId: 'visaginas-spc',
    });

    const create = async (path: string, body: Json, token = tokens.partner) => {
      const res = await request(base)
        .post(path)
        .set('Authorization', `Bearer ${token}`)
        .send(body as object);
      if (res.status !== 201) throw new Error(`setup POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Record<string, string>;
    };
    await create('/api/v1/projects', REFERENCE, tokens.admin);
    await create(
      `${P}/partners`,
      { id: 'utena-spc', name: 'Utenos SPC', municipality: 'Utena', joinedOn: '2023-02-01' },
      tokens.admin,
    );
    for (const kind of KINDS)
      ids.activity[kind] = (await create(`${P}/activities/${kind}`, activityBody(kind, '2024-05-10'))).activityId!;
    ids.voidable = (
      await create(`${P}/activities/promotion-events`, activityBody('promotion-events', '2024-04-02'))
    ).activityId!;
    ids.expenditure = (await create(`${P}/expenditures`, EXPENDITURE)).expenditureId!;
    ids.voidableExpenditure = (
      await create(`${P}/expenditures`, { ...EXPENDITURE, documentRef: 'INV-2024-002' })
    ).expenditureId!;
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // ---- one request, judged -----------------------------------------------------------------------

  interface Sent {
    readonly method: 'post' | 'put';
    readonly path: string;
    readonly token: string;
    readonly raw: string | Buffer;
    readonly contentType?: string;
    readonly headers?: Record<string, string>;
    readonly label: string;
  }
  interface Finding {
    readonly defect: string;
    readonly label: string;
    readonly sent: string;
    readonly status: number;
    readonly response: string;
  }

  /** What is wrong with the answer to one request ([] when it is a 2xx, or a proper 4xx that wrote nothing). */
  async function judge(s: Sent, opts: { mustRefuse?: boolean } = {}): Promise<Finding[]> {
    const before = await store.headPosition();
    let r = request(base)[s.method](s.path).set('Authorization', `Bearer ${s.token}`);
    if (s.contentType !== undefined) r = r.set('Content-Type', s.contentType);
    for (const [k, v] of Object.entries(s.headers ?? {})) r = r.set(k, v);
    const res = await r.send(s.raw as string);
    const moved = (await store.headPosition()) !== before;
    const defects: string[] = [];
    if (res.status >= 500)
      defects.push(`${res.status} (server error)${moved ? ' after writing to the event store' : ''}`);
    else if (opts.mustRefuse && res.status < 400)
      defects.push(`accepted (${res.status})${moved ? ' and wrote to the event store' : ''}`);
    else if (res.status < 200 || (res.status >= 300 && res.status < 400)) defects.push(`unexpected ${res.status}`);
    else if (res.status >= 400) {
      if (moved) defects.push(`wrote to the event store on a ${res.status}`);
      if (!/json/.test(res.headers['content-type'] ?? '')) defects.push('4xx answer is not JSON');
      const body = res.body as { message?: unknown; issues?: unknown };
      if (typeof body?.message !== 'string' || body.message.trim() === '') defects.push('4xx answer has no message');
      if (res.status === 400 || res.status === 422) {
        const issues = body?.issues;
        if (!Array.isArray(issues) || issues.length === 0) defects.push(`${res.status} answer has no issues array`);
        else {
          const bad = issues.filter(
            (i: { field?: unknown; rule?: unknown }) =>
              typeof i?.field !== 'string' || typeof i?.rule !== 'string' || i.rule === '',
          );
          if (bad.length > 0) defects.push(`${res.status} answer has issues without field or rule: ${short(bad, 200)}`);
        }
      }
    }
    const sent = `${s.method.toUpperCase()} ${s.path}${s.contentType ? ` [${s.contentType}]` : ''} ${short(
      Buffer.isBuffer(s.raw) ? `<${s.raw.length} bytes>` : s.raw,
      200,
    )}`;
    return defects.map((defect) => ({
      defect,
      label: s.label,
      sent,
      status: res.status,
      response: short(res.body && Object.keys(res.body).length ? res.body : res.text, 300),
    }));
  }

  /** Keeps one example per distinct (defect, status, answer message) so a report stays readable. */
  function distinct(findings: readonly Finding[]): (Finding & { count: number })[] {
    const byKey = new Map<string, Finding & { count: number }>();
    for (const f of findings) {
      const msg = /"message":"([^"]*)"/.exec(f.response)?.[1] ?? f.response;
      const key = `${f.defect.split(':')[0]}|${f.status}|${f.label.replace(/\d+/g, 'N')}|${
        f.label === 'arbitrary JSON' ? '' : msg.replace(/[0-9a-f-]{36}/g, '<id>')
      }`;
      const seen = byKey.get(key);
      if (seen) seen.count++;
      else byKey.set(key, { ...f, count: 1 });
    }
    return [...byKey.values()];
  }

  const sendJson = (e: Endpoint, c: Case): Sent => ({
    method: e.method,
    path: e.path(),
    token: tokens[e.actor],
    raw: JSON.stringify(c.body),
    contentType: 'application/json',
    label: c.label,
  });

  it('the valid seed bodies of the submissions are accepted (2xx), so their mutations are meaningful', async () => {
    const submissions = ENDPOINTS.filter((x) =>
      /(partners|allocations\/:partnerId\/:categoryId|activities\/[a-z-]+|expenditures)$/.test(x.name),
    );
    expect(submissions).toHaveLength(10);
    const statuses: [string, number, unknown][] = [];
    for (const e of submissions) {
      const res = await request(base)
        [e.method](e.path())
        .set('Authorization', `Bearer ${tokens[e.actor]}`)
        .send(e.valid() as object);
      statuses.push([e.name, res.status, res.status < 300 ? 'ok' : res.body]);
    }
    expect(statuses).toEqual(submissions.map((e) => [e.name, expect.any(Number), 'ok']));
  });

  describe.each(ENDPOINTS.map((e) => [e.name, e] as const))('%s', (_name, e) => {
    it(`arbitrary JSON (${ARBITRARY_RUNS} runs) and mutated bodies (${MUTATION_RUNS} runs), seeded`, async () => {
      const findings: Finding[] = [];
      await fc.assert(
        fc.asyncProperty(arbitraryOf(e), async (c) => {
          findings.push(...(await judge(sendJson(e, c))));
        }),
        { seed: SEED, numRuns: ARBITRARY_RUNS },
      );
      await fc.assert(
        fc.asyncProperty(mutationOf(e), async (c) => {
          findings.push(...(await judge(sendJson(e, c))));
        }),
        { seed: SEED, numRuns: MUTATION_RUNS },
      );
      expect(distinct(findings)).toEqual([]);
    });

    it('every bad money and date value; every field dropped, null, wrapped, of the other type or 10k long; an unknown field at every level', async () => {
      const valid = e.valid();
      const findings: Finding[] = [];
      // A record's date and any money field must refuse every one of these (invariant 1, money rules);
      // in a project definition or a partner's join date some are legitimate, so there only the shape
      // of the answer is checked.
      const strict = !['POST /api/v1/projects', 'POST /api/v1/projects/:code/partners'].includes(e.name);
      for (const c of enumeratedOf(e)) findings.push(...(await judge(sendJson(e, c), { mustRefuse: strict })));
      const cases: Case[] = [
        ...pathsOf(valid).map((p) => ({ label: `drop ${show(p)}`, body: setAt(valid, p, undefined) })),
        // Every field as null, wrapped in an array, wrapped in an object, and as the other scalar type.
        ...pathsOf(valid).flatMap((p) => {
          const orig = getAt(valid, p);
          const swapped: Json = typeof orig === 'number' ? String(orig) : typeof orig === 'string' ? 1 : 'x';
          return [
            { label: `retype ${show(p)} = null`, body: setAt(valid, p, null) },
            { label: `retype ${show(p)} = [original]`, body: setAt(valid, p, [orig]) },
            { label: `retype ${show(p)} = {value: original}`, body: setAt(valid, p, { value: orig }) },
            { label: `retype ${show(p)} = ${short(swapped)}`, body: setAt(valid, p, swapped) },
          ];
        }),
        ...objectPathsOf(valid).map((p) => ({
          label: `add unknown ${show([...p, 'unexpected'])}`,
          body: setAt(valid, [...p, 'unexpected'], 'x'),
        })),
        ...pathsOf(valid)
          .filter((p) => typeof getAt(valid, p) === 'string')
          .map((p) => ({ label: `${show(p)} = 10000 × "ž"`, body: setAt(valid, p, 'ž'.repeat(10_000)) })),
      ];
      for (const c of cases) findings.push(...(await judge(sendJson(e, c))));
      expect(distinct(findings)).toEqual([]);
    });

    it('raw malformed payloads: 4xx, nothing written', async () => {
      const validText = JSON.stringify(e.valid());
      const raws: { label: string; raw: string | Buffer; contentType?: string; headers?: Record<string, string> }[] = [
        { label: 'truncated JSON', raw: validText.slice(0, Math.max(1, Math.floor(validText.length / 2))) },
        { label: 'trailing comma', raw: validText.replace(/}$/, ',}') },
        {
          label: 'single quotes',
          raw: (validText === '{}' ? '{"note":"x"}' : validText).replace(/"/g, "'"),
        },
        { label: 'top-level string', raw: '"hello"' },
        { label: 'top-level number', raw: '42' },
        { label: 'top-level null', raw: 'null' },
        { label: 'top-level true', raw: 'true' },
        { label: 'top-level empty array', raw: '[]' },
        { label: 'top-level array of the valid body', raw: `[${validText}]` },
        { label: 'the valid body as text/plain', raw: validText, contentType: 'text/plain' },
        {
          label: 'form-encoded',
          raw: 'reason=entered+by+mistake&note=x',
          contentType: 'application/x-www-form-urlencoded',
        },
        { label: 'XML', raw: '<reason>entered by mistake</reason>', contentType: 'application/xml' },
        { label: 'charset iso-8859-1', raw: validText, contentType: 'application/json; charset=iso-8859-1' },
        { label: 'charset utf-16, UTF-8 bytes', raw: validText, contentType: 'application/json; charset=utf-16' },
        {
          label: 'Content-Encoding gzip, body not gzipped',
          raw: validText,
          headers: { 'Content-Encoding': 'gzip' },
        },
        {
          label: 'gzip bomb over the limit',
          raw: gzipSync(Buffer.from(JSON.stringify({ ...e.valid(), pad: ' '.repeat(BODY_LIMIT * 4) }))),
          headers: { 'Content-Encoding': 'gzip' },
        },
        {
          label: 'body over BODY_LIMIT_BYTES',
          raw: JSON.stringify({ ...e.valid(), padding: 'x'.repeat(BODY_LIMIT + 10) }),
        },
      ];
      const findings: Finding[] = [];
      for (const r of raws) {
        const sent: Sent = {
          method: e.method,
          path: e.path(),
          token: tokens[e.actor],
          raw: r.raw,
          contentType: r.contentType ?? 'application/json',
          label: r.label,
          ...(r.headers ? { headers: r.headers } : {}),
        };
        // Malformed is never accepted: not even as a no-op 2xx.
        findings.push(...(await judge(sent, { mustRefuse: true })));
      }
      expect(distinct(findings)).toEqual([]);
    });
  });

  it('deep nesting (3000 levels, 6-15 KB: under the body limit) at an unknown key or in a field: 4xx', async () => {
    const findings: Finding[] = [];
    for (const e of ENDPOINTS) {
      const valid = e.valid();
      const first = pathsOf(valid).slice(0, 1);
      for (const kind of ['array', 'object'] as const) {
        for (const p of [['deep'], ...first])
          findings.push(
            ...(await judge(
              sendJson(e, {
                label: `${e.name}: ${show(p)} = ${kind} nested 3000 deep`,
                body: setAt(valid, p, deep(3000, kind)),
              }),
            )),
          );
      }
    }
    expect(distinct(findings)).toEqual([]);
  });

  it('keys named __proto__ or constructor are unknown fields like any other: refused (400 unknown-field)', async () => {
    const findings: Finding[] = [];
    for (const e of ENDPOINTS) {
      const validText = JSON.stringify(e.valid());
      const rest = validText === '{}' ? '}' : `,${validText.slice(1)}`;
      for (const [label, prefix] of [
        ['__proto__ key', '{"__proto__":{"role":"admin"}'],
        ['constructor.prototype key', '{"constructor":{"prototype":{"role":"admin"}}'],
      ] as const) {
        const sent: Sent = {
          method: e.method,
          path: e.path(),
          token: tokens[e.actor],
          raw: prefix + rest,
          contentType: 'application/json',
          label: `${e.name}: ${label}`,
        };
        findings.push(...(await judge(sent, { mustRefuse: true })));
      }
    }
    expect(distinct(findings)).toEqual([]);
  });

  it('a body that is not JSON never runs a command, even where every field is optional (fresh targets)', async () => {
    // Lock takes an empty body and verify an optional note: a text/plain, form or XML body must not
    // be read as "no fields" and acted on.
    const fresh = (
      await request(base)
        .post(`${P}/activities/trainings`)
        .set('Authorization', `Bearer ${tokens.partner}`)
        .send(activityBody('trainings', '2024-06-02') as object)
        .expect(201)
    ).body.activityId as string;
    const targets = [
      { path: `${P}/periods/2026-Q3/lock`, token: tokens.auditor, json: '{}' },
      { path: `${P}/activities/${fresh}/verify`, token: tokens.auditor, json: '{"note":"checked"}' },
    ];
    const findings: Finding[] = [];
    for (const t of targets) {
      for (const [contentType, raw] of [
        ['text/plain', t.json],
        ['application/x-www-form-urlencoded', 'note=checked'],
        ['application/xml', '<note>checked</note>'],
      ] as const) {
        findings.push(
          ...(await judge(
            { method: 'post', path: t.path, token: t.token, raw, contentType, label: `${contentType} body` },
            { mustRefuse: true },
          )),
        );
      }
    }
    expect(distinct(findings)).toEqual([]);
  });

  it('malformed path parameters and headers: 4xx naming the parameter, nothing written', async () => {
    const reason = JSON.stringify({ reason: 'entered by mistake' });
    const cases: {
      label: string;
      method: 'post' | 'put';
      path: string;
      token: string;
      raw: string;
      headers?: Record<string, string>;
    }[] = [
      ...['not-a-uuid', '1', `${'a'.repeat(300)}`, '00000000-0000-0000-0000-00000000000g'].flatMap((id) => [
        {
          label: `activity id "${short(id, 20)}"`,
          method: 'post' as const,
          path: `${P}/activities/${id}/void`,
          token: tokens.partner,
          raw: reason,
        },
        {
          label: `expenditure id "${short(id, 20)}"`,
          method: 'post' as const,
          path: `${P}/expenditures/${id}/void`,
          token: tokens.partner,
          raw: reason,
        },
      ]),
      {
        label: 'unknown project',
        method: 'post',
        path: `/api/v1/projects/NOPE-1/activities/${ids.voidable}/void`,
        token: tokens.partner,
        raw: reason,
      },
      {
        label: 'unknown project (submission)',
        method: 'post',
        path: '/api/v1/projects/NOPE-1/activities/trainings',
        token: tokens.partner,
        raw: JSON.stringify(activityBody('trainings', '2024-06-01')),
      },
      ...['2023-Q5', '2023-13', 'Q1', '2019-Q1', '2031-Q1'].map((period) => ({
        label: `period "${period}"`,
        method: 'post' as const,
        path: `${P}/periods/${period}/lock`,
        token: tokens.auditor,
        raw: '{}',
      })),
      ...[
        ['nobody-spc', 'staff'],
        ['visaginas-spc', 'no-such-category'],
        ['Visaginas SPC', 'staff'],
      ].map(([partner, category]) => ({
        label: `allocation ${partner}/${category}`,
        method: 'put' as const,
        path: `${P}/allocations/${encodeURIComponent(partner!)}/${category}`,
        token: tokens.finance,
        raw: '{"amount":"10.00"}',
      })),
      ...['short', 'has space in it', 'x'.repeat(200), 'ünïcödé-key'].map((key) => ({
        label: `Idempotency-Key "${short(key, 20)}"`,
        method: 'post' as const,
        path: `${P}/activities/trainings`,
        token: tokens.partner,
        raw: JSON.stringify(activityBody('trainings', '2024-06-01')),
        headers: { 'Idempotency-Key': encodeURIComponent(key) === key ? key : key.replace(/[^\x20-\x7e]/g, '?') },
      })),
      ...['abc', '"-"', '1.5', 'W/"x"'].map((etag) => ({
        label: `If-Match ${etag}`,
        method: 'post' as const,
        path: `${P}/activities/${ids.activity.trainings}/void`,
        token: tokens.partner,
        raw: reason,
        headers: { 'If-Match': etag },
      })),
    ];
    const findings: Finding[] = [];
    for (const c of cases) {
      findings.push(
        ...(await judge(
          {
            method: c.method,
            path: c.path,
            token: c.token,
            raw: c.raw,
            contentType: 'application/json',
            label: c.label,
            ...(c.headers ? { headers: c.headers } : {}),
          },
          { mustRefuse: true },
        )),
      );
    }
    expect(distinct(findings)).toEqual([]);
  });
});
