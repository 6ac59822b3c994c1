import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type NewEvent } from '@ihl/event-store';
import type { Projection } from './projection';
import { ProjectionRunner, type ProjectionRunnerState } from './projection-runner';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(5);
  }
}

/** One row per event applied, with a kilobyte of text so that events need new pages. */
function tally(breakOn: () => string | null): Projection {
  return {
    name: 'tally',
    version: 1,
    tables: ['tally_events'],
    schema:
      'create table if not exists tally_events (position integer not null, type text not null, pad text not null)',
    handles: 'all',
    evolve(event, { db }) {
      if (breakOn() === event.type) throw new Error(`the tally cannot take ${event.type} yet`);
      db.prepare('insert into tally_events values (?, ?, ?)').run(event.position, event.type, 'x'.repeat(1024));
    },
  };
}

const ev = (type: string): NewEvent => ({ eventId: randomUUID(), type, data: {} });

describe('a projection runner that fails after it caught up restarts from its checkpoint', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-restart-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
    for (let i = 0; i < 20; i++) await store.append(`s-${i}`, [ev('Counted')], 'no_stream');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every event of the log applied exactly once, in order. */
  async function expectEachEventOnce(runner: ProjectionRunner): Promise<void> {
    const log = await store.readAll();
    const rows = runner.db.prepare('select position from tally_events order by rowid').all() as { position: number }[];
    expect(rows.map((r) => r.position)).toEqual(log.map((e) => e.position));
  }

  it('a full disk (SQLITE_FULL): says so while it retries with backoff, then catches up by itself once there is room', async () => {
    const errors: Error[] = [];
    const runner = new ProjectionRunner({
      store,
      file: join(dir, 'read-models.sqlite'),
      projections: [tally(() => null)],
      restart: { initialDelayMs: 20, maxDelayMs: 100 },
      onError: (e) => void errors.push(e),
    });
    try {
      await runner.start();
      expect(runner.state).toEqual({ status: 'running' });
      const before = runner.reached;
      // No page more for this connection: the next batch cannot be written, nor any restart's.
      const pages = runner.db.pragma('page_count', { simple: true }) as number;
      runner.db.pragma(`max_page_count = ${pages}`);
      for (let i = 0; i < 50; i++) await store.append(`t-${i}`, [ev('Counted')], 'no_stream');

      await waitUntil(() => runner.state.status === 'restarting' && errors.length >= 3, 'three failed tries');
      const state = runner.state as Extract<ProjectionRunnerState, { error: string }>;
      expect(state.error).toMatch(/full/i);
      expect(state.failures).toBeGreaterThanOrEqual(3);
      expect((errors[0] as Error & { code?: string }).code).toBe('SQLITE_FULL');
      // Queries still answer, as of the last batch that could be written.
      expect(runner.reached).toBeLessThan(await store.headPosition());
      expect(runner.reached).toBeGreaterThanOrEqual(before);

      // Room again: the next restart catches up with everything, nothing twice.
      runner.db.pragma('max_page_count = 1073741823');
      const head = await store.headPosition();
      await waitUntil(() => runner.reached === head, 'the catch-up after the disk was freed');
      await waitUntil(() => runner.state.status === 'running', 'the running state');
      await expectEachEventOnce(runner);
      // And it follows the log live again.
      await store.append('after', [ev('Counted')], 'no_stream');
      const last = await store.headPosition();
      await runner.waitFor(last, 5000);
      await expectEachEventOnce(runner);
    } finally {
      await runner.stop();
    }
    expect(runner.state).toEqual({ status: 'stopped' });
  }, 60_000);

  it('a projection that throws for a while: stops exactly before that event, then applies it and the rest once it can', async () => {
    let refused: string | null = null;
    const runner = new ProjectionRunner({
      store,
      file: join(dir, 'read-models.sqlite'),
      projections: [tally(() => refused)],
      restart: { initialDelayMs: 20, maxDelayMs: 100 },
      batchSize: 7,
    });
    try {
      await runner.start();
      refused = 'Poison';
      for (let i = 0; i < 10; i++) await store.append(`a-${i}`, [ev('Counted')], 'no_stream');
      const poison = await store.append('poison', [ev('Poison')], 'no_stream');
      for (let i = 0; i < 10; i++) await store.append(`b-${i}`, [ev('Counted')], 'no_stream');

      await waitUntil(() => runner.state.status === 'restarting', 'the restarting state');
      await waitUntil(
        () => (runner.state as { failures?: number }).failures! >= 2,
        'a second failure (the restart met the same event)',
      );
      expect(runner.state).toMatchObject({ status: 'restarting', error: 'the tally cannot take Poison yet' });
      // Stopped exactly before the event that fails.
      const [justBefore] = await store.readAll({ direction: 'backwards', before: poison.position, maxCount: 1 });
      expect(runner.reached).toBe(justBefore!.position);

      refused = null;
      const head = await store.headPosition();
      await waitUntil(() => runner.reached === head && runner.state.status === 'running', 'the catch-up');
      await expectEachEventOnce(runner);
    } finally {
      await runner.stop();
    }
  }, 60_000);

  it('without a restart policy a failure leaves it failed, and says so (a rebuild must not retry for ever)', async () => {
    let refused: string | null = null;
    const runner = new ProjectionRunner({
      store,
      file: join(dir, 'read-models.sqlite'),
      projections: [tally(() => refused)],
    });
    try {
      await runner.start();
      refused = 'Poison';
      await store.append('poison', [ev('Poison')], 'no_stream');
      await waitUntil(() => runner.state.status === 'failed', 'the failed state');
      expect(runner.state).toMatchObject({ status: 'failed', failures: 1 });
    } finally {
      await runner.stop();
    }
  });
});
