import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { GetBudgetQuery, GetProgressQuery, type Actor, type BudgetView, type ProgressView } from '@ihl/application';
import { SqliteEventStore } from '@ihl/event-store';
import { LedgerCoreModule, currentReadModelFile } from '@ihl/runtime';
import { demoSnapshotKey, runDemoLedger } from './demo-ledger.command';

const PROJECT = join(__dirname, '../../../../projects/07-003-P-0001.json');
const CODE = '07-003-P-0001';
const AUDITOR: Actor = { subject: 'auditor', role: 'agency-auditor' };
const OPTIONS = { scale: 0.02, seed: 7, until: '2026-12-05' };

function privacyOf(dir: string) {
  const env = Object.fromEntries(
    readFileSync(join(dir, 'ledger.env'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { pseudonymKeyring: env.LEDGER_PSEUDONYM_KEY!, profileMasterKey: env.LEDGER_PROFILE_MASTER_KEY! };
}

/** `/progress` and `/budget` as the API answers them, once the read models include the whole log. */
async function figures(dir: string): Promise<{ progress: ProgressView; budget: BudgetView }> {
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const app = await NestFactory.createApplicationContext(
    LedgerCoreModule.forRoot({ dataDir: dir, eventStore: store, readModels: true, privacy: privacyOf(dir) }),
    { logger: false },
  );
  await app.init();
  try {
    const params = { projectCode: CODE, actor: AUDITOR, atLeastPosition: await store.headPosition(), waitMs: 120_000 };
    const bus = app.get(QueryBus);
    return {
      progress: await bus.execute(new GetProgressQuery(params)),
      budget: await bus.execute(new GetBudgetQuery(params)),
    };
  } finally {
    await app.close();
    await store.close();
  }
}

/** Where each read model of a DATA_DIR stands, and the log's head. */
function readModelPositions(dir: string): { head: number; checkpoints: number[] } {
  const events = new Database(join(dir, 'events.sqlite'), { readonly: true });
  const models = new Database(currentReadModelFile(dir), { readonly: true });
  try {
    const head = events.prepare<[], { p: number }>('select max(position) as p from events').get()!.p;
    const rows = models.prepare<[], { position: number }>('select position from projection_checkpoints').all();
    return { head, checkpoints: rows.map((r) => r.position) };
  } finally {
    events.close();
    models.close();
  }
}

describe('ledger demo-ledger: a simulated ledger, snapshotted once and copied after', () => {
  const root = mkdtempSync(join(tmpdir(), 'ihl-demo-ledger-'));
  const cacheDir = join(root, 'simulations');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const run = (name: string) =>
    runDemoLedger({ ...OPTIONS, dataDir: join(root, name), cacheDir, projectFile: PROJECT, now: new Date() }, () => {
      /* quiet */
    });

  it('the cached copy answers /progress and /budget as the run that simulated it, and as a live replay', async () => {
    const first = await run('first');
    expect(first.reused).toBe(false);
    expect(first.snapshot).toBe(join(cacheDir, demoSnapshotKey(OPTIONS)));
    const second = await run('second');
    expect(second).toEqual({ snapshot: first.snapshot, reused: true });

    // The copy's read models are complete already: nothing to replay when it is served.
    const copied = readModelPositions(join(root, 'second'));
    expect(copied.head).toBeGreaterThan(1000);
    expect(copied.checkpoints.length).toBeGreaterThan(3);
    expect(copied.checkpoints.every((p) => p === copied.head)).toBe(true);

    // The same log and keys projected live from position 0, for reference.
    const live = join(root, 'live');
    mkdirSync(live);
    for (const f of ['events.sqlite', 'person-keys.sqlite', 'ledger.env'])
      copyFileSync(join(root, 'first', f), join(live, f));

    const a = await figures(join(root, 'first'));
    const b = await figures(join(root, 'second'));
    const c = await figures(live);
    expect(a.progress.personsReached).toBeGreaterThan(50);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  }, 600_000);

  it('refuses a DATA_DIR that holds a ledger already', async () => {
    await expect(run('second')).rejects.toThrow(/holds a ledger already/);
  });
});
