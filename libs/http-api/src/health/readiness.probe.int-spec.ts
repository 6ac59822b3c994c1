import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type NewEvent } from '@ihl/event-store';
import { ProjectionRunner } from '@ihl/projections';
import { ReadModels, currentReadModelFile, ledgerProjections } from '@ihl/runtime';
import { ReadinessProbe } from './readiness.probe';

const ev = (): NewEvent => ({ eventId: randomUUID(), type: 'SomethingNoted', data: {} });

describe('ReadinessProbe: how long the read models have been behind, on this process clock', () => {
  let dir: string;
  let store: SqliteEventStore;
  let models: ReadModels;
  let worker: ProjectionRunner | null = null;
  const startWorker = async () => {
    worker = new ProjectionRunner({
      store,
      file: currentReadModelFile(dir),
      projections: ledgerProjections(() => null),
    });
    await worker.start();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-probe-'));
    // The store's clock stands years back (as in tests that pin it): the lag must not read it.
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), clock: () => new Date('2020-01-01T00:00:00Z') });
    await store.append('note-0', [ev()], 'no_stream');
    await startWorker();
    models = new ReadModels(store, dir, () => null, 'follow', 20);
    await models.start();
  });
  afterEach(async () => {
    await models.stop();
    await worker?.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a feeder that stopped with a few events to go: ready until the lag passes the threshold, ready again once caught up', async () => {
    let now = 1_000_000;
    const probe = new ReadinessProbe(store, models, { maxBehindEvents: 1000, maxLagSeconds: 30 }, () => now);
    expect(await probe.probe()).toMatchObject({ status: 'ready', checks: { readModels: { lagSeconds: 0 } } });

    await worker!.stop();
    worker = null;
    await store.append('note-1', [ev()], 'no_stream');
    // First seen behind now: not for long yet, and only one event.
    expect(await probe.probe()).toMatchObject({
      status: 'ready',
      checks: { readModels: { ok: true, behindEvents: 1, lagSeconds: 0 } },
    });
    now += 20_000;
    await store.append('note-2', [ev()], 'no_stream');
    // Measured from the first head it lacked, not the newest.
    expect(await probe.probe()).toMatchObject({ status: 'ready', checks: { readModels: { lagSeconds: 20 } } });
    now += 11_000;
    const late = await probe.probe();
    expect(late).toMatchObject({
      status: 'not-ready',
      failing: ['readModels'],
      checks: { readModels: { ok: false, behindEvents: 2, lagSeconds: 31 } },
    });
    expect(late.checks.readModels.reasons).toEqual([
      'the read models have been behind the log for 31 s (more than 30 s)',
    ]);

    await startWorker();
    const head = await store.headPosition();
    await models.waitFor(head, 10_000);
    now += 5_000;
    expect(await probe.probe()).toMatchObject({
      status: 'ready',
      checks: { readModels: { ok: true, behind: 0, lagSeconds: 0 } },
    });
  });
});
