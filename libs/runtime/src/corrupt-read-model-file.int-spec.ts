import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ihl/event-store';
import { currentReadModelFile } from './read-model-files';
import { ReadModels } from './read-models';

const CODE = 'P-1';

describe('a read-model file that is not a database', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-corrupt-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
    await store.append(
      `project-${CODE}`,
      [
        {
          eventId: randomUUID(),
          type: 'ProjectRegistered',
          data: {
            definition: { code: CODE, envelopeCents: 1_000_000_00, coFinancing: { esfPlusBp: 8500, nationalBp: 1500 } },
          },
        },
      ],
      'no_stream',
    );
    for (let i = 1; i <= 30; i++)
      await store.append(
        `expenditure-e${i}`,
        [
          {
            eventId: randomUUID(),
            type: 'ExpenditureDeclared',
            data: {
              expenditureId: `e${i}`,
              projectCode: CODE,
              partnerId: 'a',
              fields: { categoryId: 'staff', amountCents: i * 100, occurredOn: '2024-04-01' },
            },
          },
        ],
        'no_stream',
      );
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is removed (no copy with profiles that no erasure reaches), the read models are rebuilt from the log and serve the right figures', async () => {
    // Served once, then overwritten with garbage (a disk fault, a stray copy).
    const first = new ReadModels(store, dir, () => null, 'run', 20);
    await first.start();
    await first.stop();
    const file = currentReadModelFile(dir);
    const garbage = Buffer.from('this is not an SQLite database, only some bytes '.repeat(200));
    writeFileSync(file, garbage);

    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const models = new ReadModels(store, dir, () => null, 'run', 20);
    try {
      await models.start();
      expect(models.reached).toBe(await store.headPosition());
      // Number(): the cents type is changing (number to bigint) in the budget read model.
      expect(Number(models.budget(CODE)!.total.declaredCents)).toBe((100 * 30 * 31) / 2);
      expect(models.status.feed).toEqual({ status: 'running' });
    } finally {
      await models.stop();
    }

    // No copy of the corrupt file is kept: it would hold profiles no later erasure reaches.
    expect(readdirSync(dir).filter((n) => n.includes('.corrupt'))).toEqual([]);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).includes(garbage.subarray(0, 40))).toBe(false);

    const said = warn.mock.calls
      .filter((call) => (call[1] as unknown) === 'ReadModelFilesWarning')
      .map(([message]) => String(message));
    expect(said).toEqual([
      expect.stringContaining(`the read-model file ${file} could not be read (file is not a database)`),
    ]);
    expect(said[0]).toContain('removed');
    expect(said[0]).toContain('rebuilt from the event log');
  });

  it('followed (the worker writes it): not served, not moved, and the feed state names the file', async () => {
    const file = currentReadModelFile(dir);
    writeFileSync(file, Buffer.from('garbage '.repeat(1000)));
    const follower = new ReadModels(store, dir, () => null, 'follow', 20);
    try {
      await follower.start();
      expect(follower.status.feed).toEqual({
        status: 'waiting',
        reason: 'the read-model file read-models.sqlite cannot be opened: file is not a database',
      });
      expect(() => follower.budget(CODE)).toThrow(/not yet/);
      expect(readdirSync(dir).filter((n) => n.includes('.corrupt-'))).toEqual([]);
    } finally {
      await follower.stop();
    }
  });

  it('a follower of the file goes over to the one the writer rebuilt in its place', async () => {
    jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const writer = new ReadModels(store, dir, () => null, 'run', 20);
    await writer.start();
    const follower = new ReadModels(store, dir, () => null, 'follow', 20);
    let rebuilt: ReadModels | null = null;
    try {
      await follower.start();
      expect(follower.status.feed).toEqual({ status: 'following' });
      await writer.stop();
      // Broken in place under the follower; the writer's next start sets it aside and rebuilds it.
      writeFileSync(currentReadModelFile(dir), Buffer.from('garbage '.repeat(1000)));
      await store.append(
        'expenditure-e31',
        [
          {
            eventId: randomUUID(),
            type: 'ExpenditureDeclared',
            data: {
              expenditureId: 'e31',
              projectCode: CODE,
              partnerId: 'a',
              fields: { categoryId: 'staff', amountCents: 3100, occurredOn: '2024-04-01' },
            },
          },
        ],
        'no_stream',
      );
      rebuilt = new ReadModels(store, dir, () => null, 'run', 20);
      await rebuilt.start();
      const head = await store.headPosition();
      const deadline = Date.now() + 15_000;
      while (!(follower.reached === head && follower.status.feed.status === 'following') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(follower.reached).toBe(head);
      expect(follower.status.feed).toEqual({ status: 'following' });
      expect(Number(follower.budget(CODE)!.total.declaredCents)).toBe((100 * 31 * 32) / 2);
    } finally {
      await follower.stop();
      await rebuilt?.stop();
    }
  });
});
