import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { SqliteEventStore, type EventStore } from '@ihl/event-store';
import { vilniusDate } from '../shared/vilnius-date';
import { positionAtEndOf } from './as-of';

/** The scan positionAtEndOf replaced: every event in log order until one recorded after the day. */
async function scanToEndOf(store: EventStore, date: string): Promise<number> {
  let after = 0;
  let last = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 2000 });
    for (const e of page) {
      if (vilniusDate(new Date(e.recordedAt)) > date) return last;
      last = e.position;
    }
    if (page.length < 2000) return last;
    after = page[page.length - 1]!.position;
  }
}

describe('positionAtEndOf (the ledger at the end of a Vilnius day)', () => {
  const DAYS = ['2024-03-29', '2024-03-30', '2024-03-31', '2024-04-01', '2024-04-02'];
  const start = Date.parse('2024-03-29T18:00:00.000Z');

  it('answers what a scan of the log answers, whatever order the clock stamped the events in', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Minutes after start, around two midnights and the switch to summer time; any order.
        fc.array(fc.integer({ min: 0, max: 3 * 24 * 60 }), { minLength: 0, maxLength: 40 }),
        async (minutes) => {
          let now = new Date(start);
          const store = new SqliteEventStore({ file: ':memory:', clock: () => now });
          try {
            for (const m of minutes) {
              now = new Date(start + m * 60_000);
              await store.append(`s-${m % 3}`, [{ eventId: randomUUID(), type: 'A', data: {} }], 'any');
            }
            for (const day of DAYS) expect(await positionAtEndOf(store, day)).toBe(await scanToEndOf(store, day));
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('ends a day at Vilnius midnight, not UTC midnight', async () => {
    let now = new Date('2024-03-30T21:59:59.999Z'); // 23:59:59.999 on 30 March in Vilnius (UTC+2)
    const store = new SqliteEventStore({ file: ':memory:', clock: () => now });
    try {
      const late = await store.append('s', [{ eventId: randomUUID(), type: 'A', data: {} }], 'any');
      now = new Date('2024-03-30T22:00:00.000Z'); // already 31 March in Vilnius
      await store.append('s', [{ eventId: randomUUID(), type: 'B', data: {} }], 'any');
      expect(await positionAtEndOf(store, '2024-03-29')).toBe(0);
      expect(await positionAtEndOf(store, '2024-03-30')).toBe(late.position);
      expect(await positionAtEndOf(store, '2024-03-31')).toBe(await store.headPosition());
    } finally {
      await store.close();
    }
  });
});
