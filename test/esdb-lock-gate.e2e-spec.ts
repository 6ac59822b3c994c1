import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { loadApiConfig } from '@ihl/config';
import {
  LockPeriodCommand,
  RecordActivityCommand,
  RegisterProjectCommand,
  ReopenPeriodCommand,
  type RequestContext,
} from '@ihl/application';
import { parseProjectDefinition } from '@ihl/domain';
import { EsdbEventStore, type StoredEvent } from '@ihl/event-store';
import { createApiApp } from '@ihl/http-api';
import { startEsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';
import { CODE, REFERENCE, TEST_KEYS } from './support/ledger-test-app';
import { checkLogInvariants } from './support/ledger-log-invariants';
import { ENVELOPE_CENTS, quarterOf } from './support/ledger-reference-model';

// On EventStoreDB a submission checks the project's revision and then appends its record, in two
// calls: a lock landing between them used to let a record dated in the locked period in as if the
// period were open. Locks and submissions now meet on the project's gate stream (PeriodGate). Here
// a lock races a burst of submissions into its period many times, over real gRPC to the stand-in,
// and no record may land after its lock without being a late entry, nor before it as one.

const ROUNDS = Number(process.env.LOCK_GATE_ROUNDS ?? '8');
const SUBMISSIONS = 12;

describe('a period lock and the submissions racing it on EventStoreDB (gRPC stand-in)', () => {
  let server: Awaited<ReturnType<typeof startEsdbStandIn>>;
  let store: EsdbEventStore;
  let app: INestApplication;
  let dir: string;
  const auditor = (): RequestContext => ({
    actor: { subject: 'auditor-1', role: 'agency-auditor' },
    correlationId: `lock-${Math.random()}`,
  });
  const partner = (): RequestContext => ({
    actor: { subject: 'visaginas-user', role: 'partner-submitter', partnerId: 'visaginas-spc' },
    correlationId: `sub-${Math.random()}`,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-gate-'));
    server = await startEsdbStandIn();
    store = new EsdbEventStore({ connectionString: server.connectionString });
    const config = loadApiConfig({ ...TEST_KEYS, LEDGER_JWT_SECRET: 'g'.repeat(40), DATA_DIR: dir });
    const now = new Date('2024-06-15T10:00:00Z');
    app = await createApiApp({ config, eventStore: store, clock: { now: () => now }, logger: false });
    await app.init();
    await app.get(CommandBus).execute(
      new RegisterProjectCommand(parseProjectDefinition(REFERENCE), {
        ...auditor(),
        actor: { subject: 'admin-1', role: 'admin' },
      }),
    );
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${ROUNDS} rounds of a lock among ${SUBMISSIONS} submissions into its period: none lands after the lock as if it were open`, async () => {
    const bus = app.get(CommandBus);
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = await store.headPosition();
      const submit = (i: number) =>
        bus.execute(
          new RecordActivityCommand(
            CODE,
            'visaginas-spc',
            {
              kind: 'promotion-event',
              occurredOn: '2024-05-14',
              audience: 'workers',
              title: `R${round} ${i}`,
              attendees: 3,
            },
            partner(),
          ),
        );
      // The lock starts after a few submissions, a little later each round, so it lands among them.
      const half = Array.from({ length: SUBMISSIONS / 2 }, (_, i) => submit(i));
      await new Promise((resolve) => setTimeout(resolve, round % 4));
      const lock = bus.execute(new LockPeriodCommand(CODE, '2024-Q2', undefined, auditor()));
      const rest = Array.from({ length: SUBMISSIONS / 2 }, (_, i) => submit(SUBMISSIONS / 2 + i));
      await Promise.all([lock, ...half, ...rest]);
      failures.push(...roundFailures(round, (await store.readAll({ after: before })).filter(notGate)));
      await bus.execute(new ReopenPeriodCommand(CODE, '2024-Q2', `race round ${round}`, auditor()));
    }
    failures.push(...checkLogInvariants((await store.readAll()).filter(notGate), ENVELOPE_CENTS, quarterOf));
    expect(failures).toEqual([]);
  }, 180_000);
});

const notGate = (e: StoredEvent): boolean => !e.streamId.startsWith('gate-') && !e.streamId.startsWith('$');

/** Before the lock: reported in its own quarter; after it: a late entry; and every submission written once. */
function roundFailures(round: number, events: readonly StoredEvent[]): string[] {
  const lockAt = events.find((e) => e.type === 'PeriodLocked')?.position;
  if (lockAt === undefined) return [`round ${round}: no lock`];
  const held = events.filter((e) => e.type === 'InformalHelpEventHeld');
  const late = (e: StoredEvent) => typeof (e.data as { reportedIn?: unknown }).reportedIn === 'string';
  const out: string[] = [];
  if (held.length !== SUBMISSIONS) out.push(`round ${round}: ${held.length} records for ${SUBMISSIONS} submissions`);
  for (const e of held) {
    if (e.position > lockAt && !late(e)) out.push(`round ${round}: ${e.streamId} landed after the lock, not late`);
    if (e.position < lockAt && late(e)) out.push(`round ${round}: ${e.streamId} landed before the lock, late`);
  }
  return out;
}
