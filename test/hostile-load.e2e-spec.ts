import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ihl/event-store';
import { exited, startServe, type Running } from './support/crash-round';
import {
  badShot,
  forgedTokens,
  PROJECT,
  tokenFor,
  validWrite,
  type Attackers,
  type Shot,
  type ValidWrite,
} from './support/hostile-requests';
import { mostAdmittedWithinAWindow, type LimitedRequest } from './support/rate-window';
import { startRedisServer, type RedisServer } from './support/redis-server';

/**
 * Hostile load on the real `ledger serve` in its own process (127.0.0.1, a SQLite DATA_DIR, a real
 * redis-server for the rate limits), for a fixed time (HOSTILE_SECONDS, default 20; `npm run
 * test:hostile` runs longer): valid writes with Idempotency-Keys (some retried), and beside them
 * malformed and oversized bodies, wrong types, unknown fields, floats for money, dates outside the
 * project, forged tokens, a partner aiming at another's records, a reused key with another body,
 * and two tokens bursting past their limits. The api must stay up, answer every bad request with the
 * 4xx that names its field, hold the limits, keep its memory bounded, and afterwards hold exactly
 * the writes it acknowledged.
 */
const SECONDS = Math.max(5, Number(process.env.HOSTILE_SECONDS ?? '20'));
const READ_LIMIT = 30;
const WRITE_LIMIT = 60;
/** Connections of each bursting token. */
const BURST_CONNECTIONS = 4;
const BODY_LIMIT = 65_536;
const WRITERS = 6;
const ATTACKERS = 10;
/** RSS after warm-up times this bounds every later sample: a leak under the run's load would pass it. */
const RSS_RATIO = 2;

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
  readonly sentAt: number;
  readonly answeredAt: number;
}

async function send(base: string, s: Shot): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (s.token) headers.Authorization = `Bearer ${s.token}`;
  if (s.key) headers['Idempotency-Key'] = s.key;
  if (s.body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, s.headers);
  const body = typeof s.body === 'function' ? s.body() : s.body;
  const sentAt = Date.now();
  // duplex: a stream body goes out as it is read (chunked), without a length.
  const res = await fetch(`${base}${s.path}`, {
    method: s.method,
    headers,
    ...(body !== undefined ? { body, duplex: 'half' } : {}),
  });
  const text = await res.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // not JSON: kept as text, the checks say so
  }
  return { status: res.status, body: answer, headers: res.headers, sentAt, answeredAt: Date.now() };
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Acked {
  readonly write: ValidWrite;
  readonly key: string;
  id: string | undefined;
}

/** What the run saw; checked after it. */
interface Run {
  readonly acked: Map<string, Acked>;
  readonly notAcked: Set<string>;
  readonly defects: string[];
  readonly badCounts: Map<string, Map<number, number>>;
  readonly reads: LimitedRequest[];
  readonly burstWrites: LimitedRequest[];
  readonly rss: number[];
  rssAfterWarmUp: number;
  healthChecks: number;
}

const issuesOf = (body: unknown): { field?: unknown; rule?: unknown }[] =>
  typeof body === 'object' && body !== null && 'issues' in body && Array.isArray(body.issues) ? body.issues : [];
const messageOf = (body: unknown): string =>
  typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string'
    ? body.message
    : '';

/** One valid write (or its retry): 201 new, 200 a replay with the same id, 429 not written (retried later). */
async function writeOnce(base: string, run: Run, write: ValidWrite, key: string): Promise<void> {
  const a = await send(base, write.shot);
  const id =
    typeof a.body === 'object' && a.body !== null ? (a.body as Record<string, unknown>)[write.idField] : undefined;
  if (a.status === 201 || a.status === 200) {
    const earlier = run.acked.get(key);
    if (a.status === 200 && !earlier) run.defects.push(`${key}: a 200 replay of a write never acknowledged`);
    if (earlier && earlier.id !== id) run.defects.push(`${key}: answered id ${String(id)}, first ${earlier.id}`);
    if (!earlier) run.acked.set(key, { write, key, id: typeof id === 'string' ? id : undefined });
    run.notAcked.delete(key);
  } else if (a.status === 429) {
    if (!run.acked.has(key)) run.notAcked.add(key);
  } else
    run.defects.push(`valid ${write.shot.path} (${key}) answered ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`);
}

async function writer(base: string, run: Run, token: string, name: string, until: () => boolean): Promise<void> {
  const mine: { write: ValidWrite; key: string }[] = [];
  for (let n = 0; !until(); n++) {
    // One in five: a retry of an earlier request with its key and body (acknowledged or refused by the limit).
    if (mine.length > 0 && n % 5 === 4) {
      const again = mine[(n * 7) % mine.length]!;
      await writeOnce(base, run, again.write, again.key);
      continue;
    }
    const key = `hostile-${name}-${n}`;
    const write = validWrite(token, key, n);
    mine.push({ write, key });
    await writeOnce(base, run, write, key);
  }
}

function checkBad(run: Run, kind: string, statuses: readonly number[], field: string | undefined, a: Answer): void {
  const counts = run.badCounts.get(kind) ?? new Map<number, number>();
  counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  run.badCounts.set(kind, counts);
  const what = `${kind} answered ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`;
  if (a.status === 429) return; // the attacker's token (or address) spent its budget: refused all the same
  if (!statuses.includes(a.status)) return void run.defects.push(what);
  const message = messageOf(a.body);
  if (!message) return void run.defects.push(`${what}: no message`);
  if (
    field &&
    !message.includes(field) &&
    !issuesOf(a.body).some((i) => i.field === field && typeof i.rule === 'string')
  )
    run.defects.push(`${what}: does not name ${field}`);
}

async function attacker(base: string, run: Run, a: Attackers, i: number, until: () => boolean): Promise<void> {
  for (let n = i; !until(); n += ATTACKERS) {
    const victims = [...run.acked.values()].filter(
      (x) => x.write.collection === 'activities' && x.key.startsWith('hostile-a-') && x.id,
    );
    const v = victims.length > 0 ? victims[n % victims.length]! : undefined;
    const bad = badShot(a, n, `hostile-bad-${i}-${n}`, v ? { id: v.id!, key: v.key } : undefined, BODY_LIMIT);
    checkBad(run, bad.kind, bad.statuses, bad.field, await send(base, bad.shot));
  }
}

/**
 * A token asking as fast as it can over several connections at once: the limit must hold (429 with
 * Retry-After past it). `next` makes each request; its `admitted` sees the answers let through.
 */
async function burst(
  base: string,
  run: Run,
  next: () => { shot: Shot; admitted?: (a: Answer) => void },
  into: LimitedRequest[],
  until: () => boolean,
): Promise<void> {
  // On past the run's end until refused once: a slow machine must not leave the limit untried.
  const refused = () => into.some((r) => !r.admitted);
  const loop = async () => {
    while (!until() || !refused()) {
      const { shot, admitted } = next();
      const a = await send(base, shot);
      into.push({ sentAt: a.sentAt, answeredAt: a.answeredAt, admitted: a.status !== 429 });
      if (a.status === 429 && !(Number(a.headers.get('retry-after')) >= 1))
        run.defects.push('a 429 without Retry-After');
      if (a.status !== 429) admitted?.(a);
    }
  };
  await Promise.all(Array.from({ length: BURST_CONNECTIONS }, loop));
}

/** The burst writer's requests: valid writes, each with its own key; the admitted ones are acknowledged. */
function burstWrites(run: Run, token: string): () => { shot: Shot; admitted: (a: Answer) => void } {
  let n = 0;
  return () => {
    const key = `hostile-burst-${n}`;
    const write = validWrite(token, key, n++);
    const admitted = (a: Answer) => {
      if (a.status !== 201)
        return void run.defects.push(`burst write ${key} answered ${a.status}: ${JSON.stringify(a.body)}`);
      const id = (a.body as Record<string, unknown>)[write.idField];
      run.acked.set(key, { write, key, id: typeof id === 'string' ? id : undefined });
    };
    return { shot: write.shot, admitted };
  };
}

/** Each attacker has its own tokens (its own budget), so most of its requests reach the checks past the limiter. */
async function attackerTokens(i: number, forged: Record<string, string>): Promise<Attackers> {
  return {
    partnerA: await tokenFor(`hostile-attacker-a-${i}`, 'partner-submitter', 'visaginas-spc'),
    partnerB: await tokenFor(`hostile-attacker-b-${i}`, 'partner-submitter', 'utena-spc'),
    forged,
  };
}

describe('hostile load on `ledger serve` in its own process', () => {
  let redis: RedisServer;
  let serve: Running;
  let dir: string;
  const run: Run = {
    acked: new Map(),
    notAcked: new Set(),
    defects: [],
    badCounts: new Map(),
    reads: [],
    burstWrites: [],
    rss: [],
    rssAfterWarmUp: 0,
    healthChecks: 0,
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-hostile-'));
    redis = await startRedisServer();
    serve = await startServe(dir, {
      REDIS_URL: redis.url,
      RATE_LIMIT_READS_PER_MINUTE: String(READ_LIMIT),
      RATE_LIMIT_WRITES_PER_MINUTE: String(WRITE_LIMIT),
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '600',
      BODY_LIMIT_BYTES: String(BODY_LIMIT),
    });
    const admin = await tokenFor('hostile-admin', 'admin');
    const partner = await send(serve.base, {
      method: 'POST',
      path: `${PROJECT}/partners`,
      token: admin,
      key: 'hostile-setup-utena',
      body: JSON.stringify({
        id: 'utena-spc',
        name: 'Utenos rajono socialinių paslaugų centras',
        municipality: 'Utena',
        joinedOn: '2023-02-01',
      }),
    });
    expect(partner.status).toBe(201);
  }, 240_000);

  afterAll(async () => {
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGTERM');
      await exited(serve.child);
    }
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    `stays up ${SECONDS} s, answers every bad request with its 4xx, holds the limits and its memory`,
    async () => {
      const base = serve.base;
      let exit = '';
      serve.child.once('exit', (code, signal) => (exit = `exited ${code ?? signal}`));
      const forged = await forgedTokens();
      const attackers = await Promise.all(Array.from({ length: ATTACKERS }, (_, i) => attackerTokens(i, forged)));
      const writerTokens = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          i % 2 === 0
            ? tokenFor(`hostile-writer-${i}`, 'partner-submitter', 'visaginas-spc')
            : tokenFor(`hostile-writer-${i}`, 'partner-submitter', 'utena-spc'),
        ),
      );
      const reader = await tokenFor('hostile-burst-reader', 'agency-auditor');
      const burstWriter = await tokenFor('hostile-burst-writer', 'partner-submitter', 'visaginas-spc');

      const started = Date.now();
      const warmUpMs = Math.min(5000, (SECONDS * 1000) / 4);
      const over = () => Date.now() - started >= SECONDS * 1000 || exit !== '';
      const sampler = (async () => {
        while (!over()) {
          const rss = rssOf(serve.child.pid!);
          if (Date.now() - started < warmUpMs) run.rssAfterWarmUp = rss;
          else run.rss.push(rss);
          const h = await send(base, { method: 'GET', path: '/health' });
          if (h.status !== 200) run.defects.push(`/health answered ${h.status}: ${JSON.stringify(h.body)}`);
          run.healthChecks++;
          await sleep(250);
        }
      })();
      const failures: string[] = [];
      const client = (p: Promise<void>, name: string) =>
        p.catch((e: unknown) => void failures.push(`${name}: ${String(e)}`));
      await Promise.all([
        sampler,
        ...writerTokens.map((t, i) =>
          client(writer(base, run, t, `${i % 2 === 0 ? 'a' : 'b'}-${i}`, over), `writer ${i}`),
        ),
        ...Array.from({ length: ATTACKERS }, (_, i) =>
          client(attacker(base, run, attackers[i]!, i, over), `attacker ${i}`),
        ),
        client(
          burst(base, run, () => ({ shot: { method: 'GET', path: PROJECT, token: reader } }), run.reads, over),
          'burst reader',
        ),
        client(burst(base, run, burstWrites(run, burstWriter), run.burstWrites, over), 'burst writer'),
      ]);

      const peak = Math.max(...run.rss);
      process.stdout.write(
        `${JSON.stringify({
          seconds: SECONDS,
          acked: run.acked.size,
          refusedByLimit: run.notAcked.size,
          bad: Object.fromEntries([...run.badCounts].map(([k, c]) => [k, Object.fromEntries(c)])),
          reads: run.reads.length,
          burstWrites: run.burstWrites.length,
          rssAfterWarmUpMB: Math.round(run.rssAfterWarmUp / 1e6),
          rssPeakMB: Math.round(peak / 1e6),
        })}\n`,
      );
      // Dropped connections, answers cut: the client that met one says so.
      expect(failures).toEqual([]);
      expect(exit).toBe('');
      expect(run.defects).toEqual([]);
      expect(run.healthChecks).toBeGreaterThan(0);
      // Every kind of bad request was sent and got its own answer at least once (not only 429s).
      const kinds = [...run.badCounts.keys()];
      for (const kind of [
        'malformed-json',
        'wrong-type',
        'unknown-field',
        'float-money',
        'date-before-project',
        'date-after-project',
        'oversized',
        'forged-signature',
        'forged-alg-none',
        'forged-expired',
        'forged-issuer',
        'other-partner-id',
        'other-partner-read',
        'other-partner-void',
        'key-reused-other-body',
        'deep-nesting',
        'proto-key',
        'not-utf8',
        'bad-gzip',
        'not-json-type',
        'bad-if-match',
        'chunked-oversized',
      ])
        expect(kinds).toContain(kind);
      for (const [kind, counts] of run.badCounts)
        expect([kind, [...counts.keys()].some((s) => s !== 429)]).toEqual([kind, true]);
      // The limits held: both burst tokens were refused, and no window admitted more than its limit.
      expect(run.reads.some((r) => !r.admitted)).toBe(true);
      expect(run.burstWrites.some((r) => !r.admitted)).toBe(true);
      expect(mostAdmittedWithinAWindow(60_000, run.reads)).toBeLessThanOrEqual(READ_LIMIT);
      expect(mostAdmittedWithinAWindow(60_000, run.burstWrites)).toBeLessThanOrEqual(WRITE_LIMIT);
      // Memory bounded: no sample after warm-up above a fixed multiple of the RSS at its end.
      expect(run.rssAfterWarmUp).toBeGreaterThan(0);
      expect(peak).toBeLessThanOrEqual(RSS_RATIO * run.rssAfterWarmUp);
    },
    (SECONDS + 120) * 1000,
  );

  it('afterwards the ledger holds exactly the acknowledged writes, one per key, nothing from the bad ones', async () => {
    expect(run.acked.size).toBeGreaterThan(0);
    // Through the API: each acknowledged record answers with its id (an auditor reads any partner's).
    const auditor = await tokenFor('hostile-check-auditor', 'agency-auditor');
    // At most READ_LIMIT of them, spread over the run: the auditor's reads are limited too.
    const sample = [...run.acked.values()].filter((_, i) => i % Math.ceil(run.acked.size / READ_LIMIT) === 0);
    for (const r of sample) {
      const a = await send(serve.base, {
        method: 'GET',
        path: `${PROJECT}/${r.write.collection}/${r.id}`,
        token: auditor,
      });
      expect([r.key, a.status]).toEqual([r.key, 200]);
    }
    serve.child.kill('SIGTERM');
    await exited(serve.child);
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    const events = await store.readAll();
    await store.close();
    const byKey = new Map<string, { type: string; data: Record<string, unknown> }[]>();
    for (const e of events) {
      const key = e.metadata['idempotencyKey'];
      if (typeof key !== 'string') continue;
      byKey.set(key, [...(byKey.get(key) ?? []), { type: e.type, data: e.data as Record<string, unknown> }]);
    }
    byKey.delete('hostile-setup-utena');
    // The keys in the log are exactly the acknowledged ones: none of the bad, none refused by the limit.
    expect([...byKey.keys()].sort()).toEqual([...run.acked.keys()].sort());
    for (const [key, r] of run.acked) {
      const written = byKey.get(key)!;
      expect([key, written.map((e) => e.type)]).toEqual([key, [r.write.eventType]]);
      expect([key, written[0]!.data[r.write.idField]]).toEqual([key, r.id]);
    }
    // Events without a key: only the project's registration at start-up.
    const unkeyed = events.filter((e) => typeof e.metadata['idempotencyKey'] !== 'string').map((e) => e.type);
    expect(unkeyed).toEqual(['ProjectRegistered']);
  }, 120_000);
});
