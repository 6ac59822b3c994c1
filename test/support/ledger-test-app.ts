import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadApiConfig } from '@ihl/config';
import { mintToken } from '@ihl/auth';
import { SqliteEventStore, type EventStore } from '@ihl/event-store';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { createApiApp, type LedgerLog } from '@ihl/http-api';

export const REFERENCE = JSON.parse(readFileSync(join(__dirname, '../../projects/07-003-P-0001.json'), 'utf8'));
export const CODE = REFERENCE.code as string;
const SECRET = 'test-secret-that-is-long-enough-0123456789';
/** The privacy keys of the test apps, for child processes (CLI, worker) that must open the same profiles. */
export const TEST_KEYS = { LEDGER_PSEUDONYM_KEY: `1:${'3'.repeat(64)}`, LEDGER_PROFILE_MASTER_KEY: '4'.repeat(64) };

/** A valid Lithuanian personal code from its first ten digits. */
export function lithuanianCode(firstTen: string): string {
  return firstTen + String(personalCodeCheckDigit(firstTen));
}

/** A path under the reference project's API. */
export const url = (path: string): string => `/api/v1/projects/${CODE}${path}`;

type Role = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB';

export interface LedgerTestApp<S extends EventStore = SqliteEventStore> {
  readonly app: INestApplication;
  readonly store: S;
  readonly dir: string;
  readonly base: string;
  readonly tokens: Record<Role, string>;
  /** The Authorization header of one of the tokens. */
  as(who: Role): { Authorization: string };
  close(): Promise<void>;
}

/** The API on a real SQLite file in a temp dir, 127.0.0.1, with a pinned clock and tokens for every role. */
export async function startLedgerTestApp(
  now = new Date('2024-06-15T10:00:00Z'),
  env: Record<string, string> = {},
  /**
   * `dir`: an existing data directory to serve (removed on close); `logs`: Nest's own logger on;
   * `port`: a fixed port (an OpenID provider must know the redirect URI before the app starts).
   */
  options: TestAppOptions = {},
): Promise<LedgerTestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ihl-app-'));
  // The store stamps recordedAt with the same pinned clock, so as-of days agree with "today".
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), clock: () => now });
  return startLedgerTestAppOn(store, now, env, { ...options, dir });
}

export interface TestAppOptions {
  dir?: string;
  logs?: boolean;
  port?: number;
  log?: LedgerLog;
  checkpointKey?: KeyObject;
}

/** As startLedgerTestApp, on a store the caller made (EventStoreDB); closing the app closes it. */
export async function startLedgerTestAppOn<S extends EventStore>(
  store: S,
  now = new Date('2024-06-15T10:00:00Z'),
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<LedgerTestApp<S>> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ihl-app-'));
  const config = loadApiConfig({
    ...TEST_KEYS,
    LEDGER_JWT_SECRET: SECRET,
    DATA_DIR: dir,
    BODY_LIMIT_BYTES: '65536',
    ...env,
  });
  const app = await createApiApp({
    config,
    eventStore: store,
    clock: { now: () => now },
    ...(options.logs ? {} : { logger: false as const }),
    ...(options.log ? { log: options.log } : {}),
    // LEDGER_CHECKPOINT_KEY_FILE's key, for the admin route; no schedule signs on its own here.
    ...(options.checkpointKey ? { checkpoints: { key: options.checkpointKey, everyEvents: 1e8, everyMs: 864e5 } } : {}),
  });
  await app.listen(options.port ?? 0, '127.0.0.1');
  const base = await app.getUrl();
  const s = { secret: SECRET, issuer: config.jwtIssuer };
  const tokens = {
    admin: await mintToken(s, { subject: 'admin-1', role: 'admin' }),
    auditor: await mintToken(s, { subject: 'auditor-1', role: 'agency-auditor' }),
    finance: await mintToken(s, { subject: 'finance-1', role: 'finance-officer' }),
    partnerA: await mintToken(s, { subject: 'visaginas-user', role: 'partner-submitter', partnerId: 'visaginas-spc' }),
    partnerB: await mintToken(s, { subject: 'utena-user', role: 'partner-submitter', partnerId: 'utena-spc' }),
  };
  return {
    app,
    store,
    dir,
    base,
    tokens,
    as: (who) => ({ Authorization: `Bearer ${tokens[who]}` }),
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Registers the reference project and a second partner (Utena, since 2023-02-01). */
export async function seedProject(t: LedgerTestApp<EventStore>): Promise<void> {
  await request(t.base)
    .post('/api/v1/projects')
    .set('Authorization', `Bearer ${t.tokens.admin}`)
    .send(REFERENCE)
    .expect(201);
  await request(t.base)
    .post(`/api/v1/projects/${CODE}/partners`)
    .set('Authorization', `Bearer ${t.tokens.admin}`)
    .send({
      id: 'utena-spc',
      name: 'Utenos rajono socialinių paslaugų centras',
      municipality: 'Utena',
      joinedOn: '2023-02-01',
    })
    .expect(201);
}
