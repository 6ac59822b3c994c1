// One crash round: the real `ledger serve` under seeded load, SIGKILLed at a seeded moment (with, in
// some rounds, a `ledger rebuild` killed beside it), then restarted and checked. Used by the short
// crash suite and, with CRASH_ROUNDS, by the long randomized run.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { mintToken } from '@ihl/auth';
import { SqliteEventStore, type StoredEvent } from '@ihl/event-store';
import {
  PrivacyPersonRegistry,
  currentReadModelFile,
  ledgerProjections,
  readModelHash,
  rebuildReadModels,
} from '@ihl/runtime';
import { TEST_KEYS, lithuanianCode } from './ledger-test-app';

const ROOT = join(__dirname, '../..');
export const SECRET = 'crash-test-secret-that-is-long-enough-0123';
export const PROJECT = '/api/v1/projects/07-003-P-0001';

/** mulberry32: the same seed, the same round. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SentRequest {
  readonly key: string;
  readonly path: string;
  readonly body: object;
  readonly role: 'partner' | 'admin';
  readonly kind: 'service' | 'erasure';
  readonly withProfile: boolean;
  acked: boolean;
  /** The first acknowledgement's body: a retry with the same key must be answered with it. */
  answer?: unknown;
}

export interface Running {
  readonly child: ChildProcess;
  readonly base: string;
  output: string;
}

function env(dir: string, port: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...TEST_KEYS,
    NO_COLOR: '1',
    LEDGER_JWT_SECRET: SECRET,
    DATA_DIR: dir,
    HOST: '127.0.0.1',
    PORT: String(port),
    RATE_LIMIT_WRITES_PER_MINUTE: '0',
    RATE_LIMIT_READS_PER_MINUTE: '0',
    ...extra,
  };
}

function cli(args: string[], childEnv: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--require', './test/support/register-ts.cjs', 'apps/cli/src/main.ts', ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `ledger serve` from the sources; resolves once it listens. `extra`: more environment (rate limits, Redis). */
export async function startServe(dir: string, extra: NodeJS.ProcessEnv = {}): Promise<Running> {
  const port = await freePort();
  const child = cli(['serve'], env(dir, port, extra));
  const running: Running = { child, base: `http://127.0.0.1:${port}`, output: '' };
  child.stdout!.on('data', (c: Buffer) => (running.output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (running.output += c.toString()));
  const started = Date.now();
  while (!/Integral Help Ledger on http:\/\//.test(running.output)) {
    if (child.exitCode !== null || Date.now() - started > 170_000) {
      child.kill('SIGKILL'); // not left serving behind a failed test
      throw new Error(`ledger serve did not start:\n${running.output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return running;
}

export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

type Tokens = Record<SentRequest['role'] | 'auditor', string>;

export async function tokens(): Promise<Tokens> {
  const s = { secret: SECRET, issuer: 'integral-help-ledger' };
  return {
    partner: await mintToken(s, { subject: 'crash-partner', role: 'partner-submitter', partnerId: 'visaginas-spc' }),
    admin: await mintToken(s, { subject: 'crash-admin', role: 'admin' }),
    auditor: await mintToken(s, { subject: 'crash-auditor', role: 'agency-auditor' }),
  };
}

async function send(base: string, token: string, r: SentRequest): Promise<Response> {
  return fetch(`${base}${r.path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': r.key },
    body: JSON.stringify(r.body),
  });
}

/** A man born in 19(50 + client), distinct per request number: a valid date and a serial. */
function personCode(client: number, n: number): string {
  const two = (v: number) => String(v).padStart(2, '0');
  const date = `${two(50 + client)}${two(1 + (Math.floor(n / 28_000) % 12))}${two(1 + (Math.floor(n / 1000) % 28))}`;
  return lithuanianCode(`3${date}${String(n % 1000).padStart(3, '0')}`);
}

/** The requests of one client: new persons with a profile, repeat services, now and then an erasure. */
function nextRequest(seed: number, client: number, n: number, random: () => number, served: string[]): SentRequest {
  const key = `crash-${seed}-${client}-${n}`;
  if (served.length > 2 && random() < 0.1) {
    const code = served.splice(Math.floor(random() * served.length), 1)[0]!;
    return {
      key,
      path: '/api/v1/persons/erasures',
      body: { personalCode: code, reason: 'crash test erasure' },
      role: 'admin',
      kind: 'erasure',
      withProfile: false,
      acked: false,
    };
  }
  const fresh = served.length === 0 || random() < 0.5;
  // Each client has its own persons: a person's first service (with the profile) is never raced.
  const code = fresh ? personCode(client, n) : served[Math.floor(random() * served.length)]!;
  if (fresh) served.push(code);
  const recipient = fresh
    ? { personalCode: code, profile: { sex: 'male', disability: random() < 0.5 } }
    : { personalCode: code };
  return {
    key,
    path: `${PROJECT}/activities/service-deliveries`,
    body: {
      occurredOn: '2024-03-01',
      service: 'care',
      targetGroup: 'elderly',
      setting: 'home',
      durationMinutes: 30,
      recipient,
    },
    role: 'partner',
    kind: 'service',
    withProfile: fresh,
    acked: false,
  };
}

export type CrashMode = 'serve' | 'serve-and-rebuild';

export interface CrashRoundResult {
  readonly seed: number;
  readonly mode: CrashMode;
  readonly killedAfterMs: number;
  /** serve-and-rebuild: whether the rebuild was killed at work, or had finished (swapped) before. */
  readonly rebuild: 'killed' | 'finished' | undefined;
  readonly sent: number;
  readonly acked: number;
  /** Unacknowledged requests found whole in the log after the kill (none are found in part). */
  readonly unackedPresent: number;
  readonly events: number;
  readonly readModelHash: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the load until `stop()`; each client sends one request at a time and waits for its answer. */
function load(seed: number, base: string, token: Tokens, sent: SentRequest[]) {
  let stopped = false;
  const clients = [0, 1, 2, 3].map(async (client) => {
    const random = seeded(seed * 31 + client);
    const served: string[] = [];
    for (let n = 0; !stopped; n++) {
      // Past a few hundred writes, slower: the round waits for a rebuild to start, and every write is retried.
      if (n > 60) await sleep(200);
      const r = nextRequest(seed, client, n, random, served);
      sent.push(r);
      let status: number;
      let body: unknown;
      try {
        const res = await send(base, token[r.role], r);
        status = res.status;
        body = await res.json();
      } catch {
        // The server died under it (fetch failed, or the answer was cut): unacknowledged; the client stops.
        return;
      }
      if (status !== 201) throw new Error(`${r.path} answered ${status}: ${JSON.stringify(body)}`);
      r.acked = true;
      r.answer = body;
    }
  });
  return {
    stop: () => (stopped = true),
    done: Promise.all(clients),
  };
}

/** The events one request writes, exactly once: its record (and the new person's profile), or the erasure. */
function isWhole(r: SentRequest, types: readonly string[]): boolean {
  if (r.kind === 'erasure') return types.length === 1 && types[0] === 'PersonErased';
  const expected = r.withProfile ? ['PersonProfileRecorded', 'ServiceDelivered'] : ['ServiceDelivered'];
  return types.join(',') === expected.join(',');
}

/**
 * The events of each request, by its key: those carrying the key, and the recipient's profile written
 * in the same commit (it carries the request's correlation id, not the key). A profile whose
 * correlation id no keyed event has is a profile without its record: half a write.
 */
function eventsByKey(events: readonly StoredEvent[]): Map<string, StoredEvent[]> {
  const keyOf = new Map<string, string>();
  const byKey = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const key = e.metadata['idempotencyKey'];
    if (typeof key !== 'string') continue;
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
    keyOf.set(String(e.metadata['correlationId']), key);
  }
  for (const e of events) {
    if (e.type !== 'PersonProfileRecorded') continue;
    const key = keyOf.get(String(e.metadata['correlationId']));
    if (key === undefined) throw new Error(`a profile without its record at position ${e.position}`);
    byKey.get(key)!.push(e);
  }
  return byKey;
}

/** Acknowledged: whole. Unacknowledged: whole or absent, never in part. Returns the keys of the whole ones. */
export function checkAfterKill(sent: readonly SentRequest[], events: readonly StoredEvent[]): Set<string> {
  const byKey = eventsByKey(events);
  const present = new Set<string>();
  for (const r of sent) {
    const types = (byKey.get(r.key) ?? []).map((e) => e.type).sort();
    const whole = isWhole(r, types);
    if (r.acked && !whole) throw new Error(`acknowledged ${r.key} is not there exactly once: ${types.join(',')}`);
    if (!r.acked && types.length > 0 && !whole)
      throw new Error(`unacknowledged ${r.key} is in part: ${types.join(',')}`);
    if (types.length > 0) present.add(r.key);
  }
  return present;
}

export async function readLog(dir: string): Promise<StoredEvent[]> {
  const file = join(dir, 'events.sqlite');
  const check = new Database(file, { readonly: true });
  try {
    const ok = check.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`events.sqlite after the kill: ${String(ok)}`);
  } finally {
    check.close();
  }
  const store = new SqliteEventStore({ file });
  try {
    return await store.readAll();
  } finally {
    await store.close();
  }
}

/** Until `count` requests were acknowledged (or the load failed). */
async function untilAcked(sent: readonly SentRequest[], count: number): Promise<void> {
  const started = Date.now();
  while (sent.filter((r) => r.acked).length < count) {
    if (Date.now() - started > 120_000)
      throw new Error(`only ${sent.filter((r) => r.acked).length} writes acknowledged`);
    await sleep(20);
  }
}

/** A rebuild beside the api, killed at a random moment once it works (or after it swapped). */
async function rebuildThenKill(dir: string, random: () => number): Promise<ChildProcess> {
  const rebuild = cli(['rebuild'], env(dir, 0));
  const started = Date.now();
  const working = () => readdirSync(dir).some((f) => f.endsWith('.rebuilding'));
  while (!working() && rebuild.exitCode === null && Date.now() - started < 170_000) await sleep(10);
  await sleep(Math.floor(random() * 1500));
  return rebuild;
}

/** Retries every request sent with its key: acknowledged ones are answered as before, nothing twice. */
async function retryAll(base: string, token: Tokens, sent: readonly SentRequest[], present: ReadonlySet<string>) {
  // Each client's requests in their order (a person's erasure after their services), clients at once.
  const clientOf = (r: SentRequest) => r.key.split('-')[2];
  const clients = [...new Set(sent.map(clientOf))];
  await Promise.all(
    clients.map(async (client) => {
      for (const r of sent.filter((x) => clientOf(x) === client)) {
        const res = await send(base, token[r.role], r);
        const body: unknown = await res.json();
        // 200: a replay of a request the log holds; 201: one the kill lost, written now.
        if (res.status !== (r.acked || present.has(r.key) ? 200 : 201))
          throw new Error(`retry of ${r.key} answered ${res.status}: ${JSON.stringify(body)}`);
        if (r.acked && JSON.stringify(body) !== JSON.stringify(r.answer))
          throw new Error(`retry of ${r.key} answered ${JSON.stringify(body)}, first ${JSON.stringify(r.answer)}`);
      }
    }),
  );
}

/** The live read models (as the restarted api left them) and a fresh replay of the log: their content hashes. */
export async function readModelHashes(dir: string): Promise<{ live: string; rebuilt: string }> {
  const db = new Database(currentReadModelFile(dir), { readonly: true });
  let live: string;
  try {
    live = readModelHash(
      db,
      ledgerProjections(() => null),
    );
  } finally {
    db.close();
  }
  const persons = new PrivacyPersonRegistry({
    dataDir: dir,
    pseudonymKeyring: TEST_KEYS.LEDGER_PSEUDONYM_KEY,
    profileMasterKey: TEST_KEYS.LEDGER_PROFILE_MASTER_KEY,
  });
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  try {
    const r = await rebuildReadModels({
      store,
      dataDir: dir,
      projections: ledgerProjections((pseudonym, sealed) => persons.open(pseudonym, sealed)),
      now: () => new Date(),
    });
    return { live, rebuilt: r.contentHash };
  } finally {
    persons.close();
    await store.close();
  }
}

/** Load on a fresh `ledger serve`, then SIGKILL (with a rebuild beside it in that mode); nothing left running. */
async function killUnderLoad(dir: string, seed: number, mode: CrashMode, token: Tokens) {
  const random = seeded(seed);
  const first = await startServe(dir);
  const children = [first.child];
  const sent: SentRequest[] = [];
  const run = load(seed, first.base, token, sent);
  try {
    run.done.catch(() => undefined);
    await Promise.race([untilAcked(sent, 10), run.done]);
    const t0 = Date.now();
    if (mode === 'serve-and-rebuild') children.push(await rebuildThenKill(dir, random));
    await sleep(Math.floor(random() * 2000));
    // Whether the rebuild was killed at work or had swapped and exited already.
    const rebuild: CrashRoundResult['rebuild'] =
      children.length > 1 ? (children[1]!.exitCode === null ? 'killed' : 'finished') : undefined;
    for (const child of [...children].reverse()) child.kill('SIGKILL');
    const killedAfterMs = Date.now() - t0;
    await Promise.all(children.map(exited));
    run.stop();
    await run.done;
    return { sent, killedAfterMs, rebuild };
  } finally {
    run.stop();
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export async function crashRound(dir: string, seed: number, mode: CrashMode): Promise<CrashRoundResult> {
  const token = await tokens();
  const { sent, killedAfterMs, rebuild } = await killUnderLoad(dir, seed, mode, token);

  const present = checkAfterKill(sent, await readLog(dir));
  const unackedPresent = sent.filter((r) => !r.acked && present.has(r.key)).length;
  const second = await startServe(dir);
  try {
    await retryAll(second.base, token, sent, present);
    const events = await readLog(dir);
    const byKey = eventsByKey(events);
    for (const r of sent) {
      const types = (byKey.get(r.key) ?? []).map((e) => e.type).sort();
      if (!isWhole(r, types))
        throw new Error(`after the retries ${r.key} is not there exactly once: ${types.join(',')}`);
    }
    const head = events.at(-1)!.position;
    const res = await fetch(`${second.base}${PROJECT}/progress?position=${head}`, {
      headers: { Authorization: `Bearer ${token.auditor}` },
    });
    if (res.status !== 200) throw new Error(`the restarted api did not catch up: ${res.status} ${await res.text()}`);
  } finally {
    second.child.kill('SIGTERM');
    await exited(second.child);
  }
  const hashes = await readModelHashes(dir);
  if (hashes.live !== hashes.rebuilt)
    throw new Error(`read models ${hashes.live} differ from a fresh rebuild ${hashes.rebuilt}`);
  const events = await readLog(dir);
  return {
    seed,
    mode,
    killedAfterMs,
    rebuild,
    sent: sent.length,
    acked: sent.filter((r) => r.acked).length,
    unackedPresent,
    events: events.length,
    readModelHash: hashes.live,
  };
}
