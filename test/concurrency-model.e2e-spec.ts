import request from 'supertest';
import { CommandBus } from '@nestjs/cqrs';
import { LockPeriodCommand, RecordActivityCommand, ReopenPeriodCommand, type WriteResult } from '@ihl/application';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { mintToken } from '@ihl/auth';
import { loadApiConfig } from '@ihl/config';
import {
  EsdbEventStore,
  EventIdConflictError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type EventStore,
  type StoredEvent,
} from '@ihl/event-store';
import { createApiApp } from '@ihl/http-api';
import { startEsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';
import {
  CODE,
  REFERENCE,
  TEST_KEYS,
  seedProject,
  startLedgerTestApp,
  url,
  type LedgerTestApp,
} from './support/ledger-test-app';
import {
  ENVELOPE_CENTS,
  LedgerModel,
  quarterOf,
  type ModelCommand,
  type PartnerId,
  type RecordValues,
} from './support/ledger-reference-model';
import { checkLogInvariants } from './support/ledger-log-invariants';

/**
 * Many clients at once against one api on a real SQLite file, each sending a seeded random mix of
 * valid and invalid commands: allocations near the envelope, records and their corrections racing
 * verifications and voids, If-Match races, repeated Idempotency-Keys, period locks racing
 * submissions. Afterwards the store's log is replayed, in its order, through a small sequential
 * model (test/support/ledger-reference-model.ts): every written command must be one the model
 * accepts at that point, with the same events; every other answer must be the model's answer at
 * some point while the request was in flight; the api's final figures and records must be the
 * model's. A few rounds here on SQLite and a short one on the EventStoreDB stand-in (where the
 * writes pass the period gate); `npm run test:concurrency` (CONCURRENCY_ROUNDS, CONCURRENCY_SEED,
 * CONCURRENCY_OPS, CONCURRENCY_ESDB_OPS) runs many more and a long one there.
 */

const rounds = Math.max(1, Number(process.env.CONCURRENCY_ROUNDS ?? '3'));
const firstSeed = Number(process.env.CONCURRENCY_SEED ?? '1');
const opsPerRound = Math.max(20, Number(process.env.CONCURRENCY_OPS ?? '160'));
/** Each write on EventStoreDB reads the gate back 10 s: a busy round is slow there (docs/event-store.md). */
const esdbOps = Math.max(20, Number(process.env.CONCURRENCY_ESDB_OPS ?? '20'));
/** Seed 15's first 20 scenarios race a lock of each quarter with 10 submissions each (seed 1's, no lock). */
const esdbSeed = Number(process.env.CONCURRENCY_ESDB_SEED ?? process.env.CONCURRENCY_SEED ?? '15');
const CLIENTS = 16;
const CATEGORIES = ['staff', 'services', 'equipment', 'vehicles', 'training', 'promotion', 'indirect'];
const PERIODS = ['2024-Q1', '2024-Q2'];
const TOKEN_OF: Record<PartnerId, 'partnerA' | 'partnerB'> = { 'visaginas-spc': 'partnerA', 'utena-spc': 'partnerB' };

/** What the rounds need of an api: LedgerTestApp on SQLite, or an api on the EventStoreDB stand-in. */
type Subject = Pick<LedgerTestApp, 'base' | 'as'> & { readonly app: INestApplication; readonly store: EventStore };

/** mulberry32: a small seeded generator, so a failing round can be run again alone. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const money = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** One request as sent and answered, with the log's head just before it left and just after its answer. */
interface Sent {
  readonly id: string;
  readonly command: ModelCommand;
  readonly status: number;
  readonly body: { activityId?: string; position?: number };
  readonly before: number;
  readonly after: number;
  readonly group?: string;
}

/** `turn`: sent straight to the command bus, so that requests sent together are decided in one event-loop turn. */
type Send = (c: ModelCommand, group?: string, turn?: boolean) => Promise<Sent>;
type Scenario = (send: Send) => Promise<unknown>;

function scenarios(seed: number, count: number, t: () => Subject): Scenario[] {
  const rnd = generator(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ids: { id: string; partner: PartnerId; occurredOn: string }[] = [];
  let n = 0;
  const uuid = () => {
    const hex = (seed * 1_000_003 + n++).toString(16).padStart(12, '0').slice(-12);
    return `00000000-0000-4000-8000-${hex}`;
  };
  const values = (): RecordValues => {
    const quarter = rnd() < 0.5 ? 0 : 3;
    const day = `2024-${String(1 + quarter + Math.floor(rnd() * 2)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    return { occurredOn: day, title: `Event ${Math.floor(rnd() * 5)}`, attendees: 1 + Math.floor(rnd() * 40) };
  };
  const partner = (): PartnerId => (rnd() < 0.5 ? 'visaginas-spc' : 'utena-spc');
  const newRecord = (occurredOn?: string): Extract<ModelCommand, { kind: 'record' }> => {
    const v = values();
    const r = { id: uuid(), partner: partner(), occurredOn: occurredOn ?? v.occurredOn };
    ids.push(r);
    return { kind: 'record', partner: r.partner, activityId: r.id, values: { ...v, occurredOn: r.occurredOn } };
  };
  const known = () => pick(ids);
  // Corrections keep the record's date: they change its title and attendance.
  const changed = (r: { occurredOn: string }): RecordValues => ({ ...values(), occurredOn: r.occurredOn });
  // Near the envelope: 14 lines of up to ~8.8 M each (~61 M on average), so many are refused.
  const allocate = (): ModelCommand => ({
    kind: 'allocate',
    partner: partner(),
    category: pick(CATEGORIES),
    cents: Math.floor(rnd() * (ENVELOPE_CENTS / 5)),
  });
  const out: Scenario[] = [];
  for (let i = 0; i < count; i++) {
    const roll = rnd();
    if (ids.length < 4 || roll < 0.2) {
      const c = newRecord();
      out.push((send) => send(c));
    } else if (roll < 0.35) {
      const c = allocate();
      out.push((send) => send(c));
    } else if (roll < 0.4) {
      const c: ModelCommand = { kind: 'invalid', what: pick(['allocation', 'record', 'void']) };
      out.push((send) => send(c));
    } else if (roll < 0.47) {
      // The same Idempotency-Key three times at once: one effect, one answer.
      const c: ModelCommand = { kind: 'record', partner: partner(), key: `cm-key-${seed}-${i}`, values: values() };
      out.push((send) => Promise.all([send(c, `key-${i}`), send(c, `key-${i}`), send(c, `key-${i}`)]));
    } else if (roll < 0.65) {
      // A correction racing a verification and a void of the same record.
      const r = known();
      const correct: ModelCommand = { kind: 'correct', partner: r.partner, activityId: r.id, values: changed(r) };
      const verify: ModelCommand = { kind: 'verify', activityId: r.id };
      const voided: ModelCommand = { kind: 'void', partner: r.partner, activityId: r.id };
      const chosen = [correct, verify, ...(rnd() < 0.4 ? [voided] : [])];
      out.push((send) => Promise.all(chosen.map((c) => send(c))));
    } else if (roll < 0.77) {
      // Three clients correcting with the same revision: at most one may win.
      const r = known();
      const tries = [changed(r), changed(r), changed(r)];
      out.push(async (send) => {
        const seen = await request(t().base)
          .get(url(`/activities/${r.id}`))
          .set(t().as('auditor'));
        if (seen.status !== 200) return;
        const ifMatch = Number(seen.body.revision);
        const group = `if-match-${i}`;
        await Promise.all(
          tries.map((v) => send({ kind: 'correct', partner: r.partner, activityId: r.id, values: v, ifMatch }, group)),
        );
      });
    } else if (roll < 0.87) {
      // A lock or a reopening racing submissions into that period.
      const period = pick(PERIODS);
      const lock: ModelCommand = { kind: rnd() < 0.6 ? 'lock' : 'reopen', period };
      const month = period === '2024-Q1' ? '02' : '05';
      const subs = Array.from({ length: 10 }, () => newRecord(`2024-${month}-1${Math.floor(rnd() * 9)}`));
      // Half of them in one turn of the event loop, where SQLite's group commit leaves its only window.
      const turn = rnd() < 0.5;
      out.push((send) => Promise.all([send(lock, undefined, turn), ...subs.map((c) => send(c, undefined, turn))]));
    } else if (roll < 0.9) {
      // Another partner's record: answered as missing.
      const r = known();
      const other: PartnerId = r.partner === 'utena-spc' ? 'visaginas-spc' : 'utena-spc';
      const c: ModelCommand = { kind: 'void', partner: other, activityId: r.id };
      out.push((send) => send(c));
    } else {
      const r = known();
      const c: ModelCommand =
        rnd() < 0.5
          ? { kind: 'verify', activityId: r.id }
          : { kind: 'correct', partner: r.partner, activityId: r.id, values: changed(r) };
      out.push((send) => send(c));
    }
  }
  return out;
}

function httpOf(t: Subject, c: ModelCommand): request.Test {
  const post = (path: string, who: Parameters<LedgerTestApp['as']>[0], body: object) =>
    request(t.base).post(url(path)).set(t.as(who)).send(body);
  const promotion = (v: RecordValues) => ({ ...v, audience: 'workers' });
  switch (c.kind) {
    case 'allocate':
      return request(t.base)
        .put(url(`/allocations/${c.partner}/${c.category}`))
        .set(t.as('finance'))
        .send({ amount: money(c.cents) });
    case 'record': {
      const id = c.activityId ? { activityId: c.activityId } : {};
      const req = post('/activities/promotion-events', TOKEN_OF[c.partner], { ...promotion(c.values), ...id });
      return c.key ? req.set('Idempotency-Key', c.key) : req;
    }
    case 'correct': {
      const path = `/activities/promotion-events/${c.activityId}/corrections`;
      const req = post(path, TOKEN_OF[c.partner], { ...promotion(c.values), reason: 'values corrected' });
      return c.ifMatch === undefined ? req : req.set('If-Match', `"${c.ifMatch}"`);
    }
    case 'verify':
      return post(`/activities/${c.activityId}/verify`, 'auditor', {});
    case 'void':
      return post(`/activities/${c.activityId}/void`, TOKEN_OF[c.partner], { reason: 'entered twice' });
    case 'lock':
      return post(`/periods/${c.period}/lock`, 'auditor', {});
    case 'reopen':
      return post(`/periods/${c.period}/reopen`, 'auditor', { reason: 'late evidence' });
    case 'invalid':
      if (c.what === 'allocation')
        return request(t.base)
          .put(url('/allocations/visaginas-spc/staff'))
          .set(t.as('finance'))
          .send({ amount: '-5.00' });
      if (c.what === 'record')
        return post('/activities/promotion-events', 'partnerA', {
          occurredOn: '2024-05-02',
          audience: 'workers',
          title: 'Nobody came',
          attendees: 0,
        });
      return post(`/activities/00000000-0000-4000-8000-000000000000/void`, 'partnerA', {});
  }
}

/** A lock, a reopening or a record, as the controllers hand it to the command bus; answered as HTTP would. */
async function viaBus(t: Subject, c: ModelCommand, correlationId: string): Promise<Pick<Sent, 'status' | 'body'>> {
  const partner = c.kind === 'record' ? c.partner : undefined;
  const context = {
    actor: partner
      ? { subject: `${partner}-user`, role: 'partner-submitter' as const, partnerId: partner }
      : { subject: 'auditor-1', role: 'agency-auditor' as const },
    correlationId,
  };
  const command =
    c.kind === 'lock'
      ? new LockPeriodCommand(CODE, c.period, undefined, context)
      : c.kind === 'reopen'
        ? new ReopenPeriodCommand(CODE, c.period, 'late evidence', context)
        : c.kind === 'record'
          ? new RecordActivityCommand(
              CODE,
              c.partner,
              { kind: 'promotion-event', audience: 'workers', ...c.values },
              context,
              c.activityId,
            )
          : null;
  if (!command) throw new Error(`${c.kind} is sent over HTTP only`);
  try {
    const r: WriteResult & { activityId?: string } = await t.app.get(CommandBus).execute(command);
    return { status: r.changed ? 201 : 200, body: { position: r.position, activityId: r.activityId } };
  } catch (e) {
    return { status: busStatus(e), body: {} };
  }
}

/**
 * The status the api's problem filter gives these errors, so that a command sent to the bus is
 * judged as it would be over HTTP: a concurrent change the write path gave up on is a 409 (which
 * the model judges), not a 500; anything else is a 500, which no round may see.
 */
function busStatus(e: unknown): number {
  if (e instanceof WrongExpectedRevisionError || e instanceof EventIdConflictError) return 409;
  if (e instanceof EventStoreUnavailableError) return 503;
  const code = (e as { constructor: { name: string } }).constructor.name;
  return code === 'DomainConflictError' ? 409 : code === 'DomainValidationError' ? 422 : 500;
}

async function runRound(t: Subject, seed: number, ops: number): Promise<{ sent: Sent[]; base: number }> {
  const base = await t.store.headPosition();
  const sent: Sent[] = [];
  let counter = 0;
  const send: Send = async (command, group, turn) => {
    const id = `cm-${seed}-${counter++}`;
    const before = await t.store.headPosition();
    const res = turn ? await viaBus(t, command, id) : await httpOf(t, command).set('X-Correlation-Id', id);
    const s: Sent = {
      id,
      command,
      status: res.status,
      body: res.body,
      before,
      after: await t.store.headPosition(),
      ...(group ? { group } : {}),
    };
    sent.push(s);
    return s;
  };
  const queue = scenarios(seed, ops, () => t);
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < queue.length) await queue[next++]!(send);
    }),
  );
  return { sent, base };
}

/**
 * Replays the round's part of the log through the model and returns every disagreement: a write
 * the model would not make (or makes otherwise), an answer the model never gave while the request
 * was in flight, a write without a 2xx answer or a 2xx answer without its write.
 */
function replay(model: LedgerModel, events: readonly StoredEvent[], sent: readonly Sent[], base: number): string[] {
  const problems: string[] = [];
  const byId = new Map(sent.map((s) => [s.id, s]));
  const groups = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const id = String(e.metadata.correlationId);
    groups.set(id, [...(groups.get(id) ?? []), e]);
  }
  // Answers other than a write are checked against every state the model passed through while
  // the request was in flight ([before, after] in log positions).
  const open = sent.filter((s) => s.status !== 201);
  const justified = new Set<string>();
  const judge = (from: number, to: number) => {
    for (const s of open) {
      if (justified.has(s.id) || s.before > to || s.after < from) continue;
      const expected = model.decide(s.command).status;
      if (expected === s.status || (s.command.kind === 'invalid' && (s.status === 400 || s.status === 422)))
        justified.add(s.id);
    }
  };
  let at = base;
  let previousEnd = base;
  for (const [id, group] of [...groups].sort((a, b) => a[1][0]!.position - b[1][0]!.position)) {
    const first = group[0]!.position;
    const last = group[group.length - 1]!.position;
    judge(at, first - 1);
    const s = byId.get(id);
    if (!s || s.status !== 201) {
      problems.push(`written without a 201: ${id} ${JSON.stringify(s?.command)} answered ${s?.status}`);
      at = last;
      continue;
    }
    if (first <= previousEnd && previousEnd !== base) problems.push(`${id}'s events interleave with another write`);
    const outcome = model.decide(s.command);
    const types = group.map((e) => e.type);
    const reportedIn = (group[0]!.data as { reportedIn?: string }).reportedIn;
    if (outcome.status !== 201 || JSON.stringify(outcome.events) !== JSON.stringify(types)) {
      problems.push(
        `${id} ${JSON.stringify(s.command)} wrote ${types.join()} where the model says ${JSON.stringify(outcome)}`,
      );
    } else if (s.command.kind === 'record' && outcome.reportedIn !== reportedIn) {
      problems.push(`${id} reported in ${reportedIn} where the model says ${outcome.reportedIn}`);
    }
    if (s.body.position !== last) problems.push(`${id} answered position ${s.body.position}, wrote up to ${last}`);
    model.apply(s.command, outcome, group[group.length - 1]!.streamId.replace(/^activity-/, ''));
    at = last;
    previousEnd = last;
  }
  judge(at, Number.MAX_SAFE_INTEGER);
  for (const s of sent) {
    if (s.status === 201 && !groups.has(s.id)) problems.push(`${s.id} answered 201 but wrote nothing`);
    if (s.status !== 201 && !justified.has(s.id))
      problems.push(
        `${s.id} ${JSON.stringify(s.command)} answered ${s.status}: the model never did in [${s.before}, ${s.after}]`,
      );
  }
  return problems;
}

/** Requests sent together: one Idempotency-Key gives one record and the same answer; one If-Match at most one win. */
function groupProblems(sent: readonly Sent[]): string[] {
  const problems: string[] = [];
  const groups = new Map<string, Sent[]>();
  for (const s of sent) if (s.group) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  for (const [name, members] of groups) {
    const wins = members.filter((s) => s.status === 201).length;
    if (name.startsWith('key-')) {
      const ids = new Set(members.map((s) => s.body.activityId));
      if (wins !== 1 || ids.size !== 1 || members.some((s) => s.status >= 300))
        problems.push(`${name}: ${members.map((s) => `${s.status} ${s.body.activityId}`).join(', ')}`);
    } else if (wins > 1) problems.push(`${name}: ${wins} corrections with one If-Match revision won`);
  }
  return problems;
}

async function finalStateProblems(t: Subject, model: LedgerModel): Promise<string[]> {
  const problems: string[] = [];
  const head = await t.store.headPosition();
  const budget = await request(t.base)
    .get(url(`/budget?position=${head}`))
    .set(t.as('finance'))
    .expect(200);
  if (budget.body.total.allocated !== money(model.totalAllocated()))
    problems.push(`budget allocated ${budget.body.total.allocated}, model ${money(model.totalAllocated())}`);
  for (const line of budget.body.lines as { partnerId: string; categoryId: string; allocated: string }[]) {
    const cents = model.allocations.get(`${line.partnerId}/${line.categoryId}`) ?? 0;
    if (line.allocated !== money(cents)) problems.push(`line ${line.partnerId}/${line.categoryId}: ${line.allocated}`);
  }
  let count = 0;
  let attendees = 0;
  for (const [id, r] of model.records) {
    if (r.status === 'recorded') {
      count += 1;
      attendees += r.values.attendees;
    }
    const res = await request(t.base)
      .get(url(`/activities/${id}`))
      .set(t.as('auditor'));
    const state = res.body.state ?? {};
    const got = {
      status: state.status,
      review: state.review,
      attendees: state.fields?.attendees,
      reportedIn: state.reportedIn,
      pending: Boolean(state.pendingRestatement),
      revision: res.body.revision,
    };
    const want = {
      status: r.status,
      review: r.review,
      attendees: r.values.attendees,
      reportedIn: r.reportedIn,
      pending: r.pending !== null,
      revision: r.revision,
    };
    if (JSON.stringify(got) !== JSON.stringify(want))
      problems.push(`record ${id}: api ${JSON.stringify(got)}, model ${JSON.stringify(want)}`);
  }
  const volumes = await request(t.base)
    .get(url(`/volumes?position=${head}`))
    .set(t.as('auditor'))
    .expect(200);
  const events = (volumes.body.events as { audience: string; count: number; attendees: number }[]).find(
    (e) => e.audience === 'workers',
  ) ?? { count: 0, attendees: 0 };
  if (events.count !== count || events.attendees !== attendees)
    problems.push(`volumes: ${events.count} events, ${events.attendees} attendees; model ${count}, ${attendees}`);
  return problems;
}

/** The ledger's own events: not the period gate's (EventStoreDB only, see PeriodGate). */
const ofTheLedger = (e: StoredEvent): boolean => !e.streamId.startsWith('gate-');

/** Thousands of requests from a few tokens in a minute: the rate limits are not what is tested here. */
const UNLIMITED = { RATE_LIMIT_WRITES_PER_MINUTE: '0', RATE_LIMIT_READS_PER_MINUTE: '0' };

function describeRounds(
  name: string,
  open: () => Promise<Subject & { close(): Promise<void> }>,
  rounds: number,
  opsPerRound: number,
  checkMix: boolean,
  seedFrom: number,
): void {
  describe(name, () => {
    let t: Subject & { close(): Promise<void> };
    const model = new LedgerModel();
    const everySent: Sent[] = [];
    beforeAll(async () => {
      t = await open();
    });
    afterAll(() => t.close());

    for (let round = 0; round < rounds; round++) {
      const seed = seedFrom + round;
      it(
        `seed ${seed}: ${opsPerRound} scenarios from ${CLIENTS} clients`,
        async () => {
          const { sent, base } = await runRound(t, seed, opsPerRound);
          everySent.push(...sent);
          const events = (await t.store.readAll({ after: base })).filter(ofTheLedger);
          const problems = [
            ...replay(model, events, sent, base),
            ...groupProblems(sent),
            ...checkLogInvariants((await t.store.readAll()).filter(ofTheLedger), ENVELOPE_CENTS, quarterOf),
            ...(await finalStateProblems(t, model)),
          ];
          expect({ seed, problems: problems.slice(0, 20), count: problems.length }).toEqual({
            seed,
            problems: [],
            count: 0,
          });
          // The mix did what it is for: refusals for the envelope, late entries, If-Match losers.
          expect(sent.length).toBeGreaterThan(opsPerRound);
          expect(sent.some((s) => s.status >= 500)).toBe(false);
          // The long run's rounds meet a fuller log and check every record made so far.
        },
        Math.max(300_000, opsPerRound * 1_500),
      );
    }

    // A short round need not meet every case: it has no such test.
    if (checkMix)
      it('the rounds did what they are for: refusals over the envelope, late entries, If-Match losers', () => {
        const statusOf = (kind: ModelCommand['kind'], status: number) =>
          everySent.filter((s) => s.command.kind === kind && s.status === status).length;
        expect(statusOf('allocate', 422)).toBeGreaterThan(0);
        expect(statusOf('allocate', 201)).toBeGreaterThan(0);
        expect(statusOf('correct', 412)).toBeGreaterThan(0);
        expect([...model.records.values()].some((r) => r.reportedIn !== undefined)).toBe(true);
        expect(everySent.filter((s) => s.group?.startsWith('key-') && s.status === 200).length).toBeGreaterThan(0);
      });
  });
}

describeRounds(
  'many clients at once, checked against a sequential model in the store order (SQLite)',
  async () => {
    const t = await startLedgerTestApp(undefined, UNLIMITED);
    await seedProject(t);
    return t;
  },
  rounds,
  opsPerRound,
  true,
  firstSeed,
);

// One round over gRPC to the EventStoreDB stand-in: the writes pass the period gate (a lock and the
// submissions into its period meet there), which the SQLite rounds never use. A short one here
// (CONCURRENCY_ESDB_OPS, CONCURRENCY_ESDB_SEED); `npm run test:concurrency` runs a long one.
describeRounds('the same mix on the EventStoreDB adapter (gRPC stand-in)', openOnStandIn, 1, esdbOps, false, esdbSeed);

async function openOnStandIn(): Promise<Subject & { close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ihl-model-esdb-'));
  const server = await startEsdbStandIn();
  const store = new EsdbEventStore({ connectionString: server.connectionString });
  const secret = 'model-secret-that-is-long-enough-0123456789';
  const config = loadApiConfig({ ...TEST_KEYS, ...UNLIMITED, LEDGER_JWT_SECRET: secret, DATA_DIR: dir });
  const now = new Date('2024-06-15T10:00:00Z');
  const app = await createApiApp({ config, eventStore: store, clock: { now: () => now }, logger: false });
  await app.listen(0, '127.0.0.1');
  const actors = {
    admin: { subject: 'admin-1', role: 'admin' },
    auditor: { subject: 'auditor-1', role: 'agency-auditor' },
    finance: { subject: 'finance-1', role: 'finance-officer' },
    partnerA: { subject: 'visaginas-user', role: 'partner-submitter', partnerId: 'visaginas-spc' },
    partnerB: { subject: 'utena-user', role: 'partner-submitter', partnerId: 'utena-spc' },
  } as const;
  const tokens = new Map<string, string>();
  for (const [who, actor] of Object.entries(actors))
    tokens.set(who, await mintToken({ secret, issuer: config.jwtIssuer }, actor));
  const subject = {
    app,
    store,
    base: await app.getUrl(),
    as: (who: keyof typeof actors) => ({ Authorization: `Bearer ${tokens.get(who)}` }),
    close: async () => {
      await app.close();
      await store.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await request(subject.base).post('/api/v1/projects').set(subject.as('admin')).send(REFERENCE).expect(201);
  await request(subject.base)
    .post(url('/partners'))
    .set(subject.as('admin'))
    .send({ id: 'utena-spc', name: 'Utenos SPC', municipality: 'Utena', joinedOn: '2023-02-01' })
    .expect(201);
  return subject;
}
