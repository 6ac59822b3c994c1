import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { SqliteEventStore } from '@ihl/event-store';
import { ReadModels } from './read-models';

const HOUR = 3_600_000;
const START = Date.parse('2024-03-01T00:00:00.000Z');

describe('ReadModels.positionAt: the end of an hour from the timeline, as the store answers it', () => {
  it('equals headPositionAt for every hour end, clocks stepping back included, and answers other instants from the store', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // Each event's clock: hours (and minutes) from the start; a smaller one steps the clock back.
        fc.array(fc.record({ hours: fc.nat(30), ms: fc.nat(HOUR - 1) }), { minLength: 1, maxLength: 40 }),
        async (clocks) => {
          const dir = mkdtempSync(join(tmpdir(), `ihl-position-at-${++run}-`));
          let now = START;
          const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), clock: () => new Date(now) });
          const rm = new ReadModels(store, dir);
          try {
            for (const [i, c] of clocks.entries()) {
              now = START + c.hours * HOUR + c.ms;
              await store.append(`note-${i}`, [{ eventId: randomUUID(), type: 'Noted', data: {} }], 'no_stream');
            }
            await rm.start();
            await rm.waitFor(await store.headPosition(), 5000);
            for (let h = -1; h <= 32; h++) {
              const end = new Date(START + (h + 1) * HOUR - 1);
              expect({ h, p: await rm.positionAt(end) }).toEqual({ h, p: await store.headPositionAt(end) });
            }
            const inside = new Date(START + 5 * HOUR + 1234);
            expect(await rm.positionAt(inside)).toBe(await store.headPositionAt(inside));
          } finally {
            await rm.stop();
            await store.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
