import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../event-store.port';
import { asDiskFull } from './disk-full';
import { SqliteEventStore } from './sqlite-event-store';

const ev = (): NewEvent => ({ eventId: randomUUID(), type: 'Filled', data: { text: 'x'.repeat(400) } });
const codeOf = (e: unknown) => (e as { code?: string }).code;

describe('SqliteEventStore on a full disk', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-full-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Appends one event at a time until the file cannot grow; the refusal that ended it. */
  async function fill(): Promise<unknown> {
    store.simulateDiskLimit(1); // never below the current size: the file may not grow
    for (let i = 0; i < 1000; i++) {
      const refused = await store.append(`fill-${i}`, [ev()], 'no_stream').then(
        () => null,
        (e: unknown) => e,
      );
      if (refused) return refused;
    }
    throw new Error('the store never filled up');
  }

  it('refuses a batch with SQLITE_FULL, keeps none of it, and writes again once space is freed', async () => {
    await store.append('before', [ev()], 'no_stream');
    expect(codeOf(await fill())).toBe('SQLITE_FULL');
    const head = await store.headPosition();
    const count = (await store.readAll()).length;

    // Appends queued together share one transaction: a multi-event append, an appendMany and a
    // single one, all refused, none of their events kept.
    const outcomes = await Promise.allSettled([
      store.append('many-events', [ev(), ev(), ev(), ev(), ev(), ev(), ev(), ev()], 'no_stream'),
      store.appendMany([
        { streamId: 'unit-a', events: [ev(), ev(), ev()], expectedRevision: 'no_stream' },
        { streamId: 'unit-b', events: [ev(), ev(), ev()], expectedRevision: 'no_stream' },
      ]),
      store.append('single', [ev()], 'no_stream'),
    ]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? codeOf(o.reason) : o.status))).toEqual([
      'SQLITE_FULL',
      'SQLITE_FULL',
      'SQLITE_FULL',
    ]);
    expect(await store.headPosition()).toBe(head);
    expect((await store.readAll()).length).toBe(count);
    for (const s of ['many-events', 'unit-a', 'unit-b', 'single']) expect(await store.streamRevision(s)).toBeNull();

    // Space freed: the same connection writes again, positions going on from the head.
    expect(store.simulateDiskLimit(1_000_000)).toBe(1_000_000);
    const again = await store.append('many-events', [ev(), ev(), ev(), ev(), ev(), ev(), ev(), ev()], 'no_stream');
    expect(again).toEqual({ streamId: 'many-events', revision: 7, position: head + 8 });
    expect((await store.readAll()).length).toBe(count + 8);
  });
});

describe('asDiskFull', () => {
  const ioError = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_FSYNC' });
  const free = (bytes: number) => () => ({ bavail: bytes / 4096, bsize: 4096 });

  it('reports an SQLite I/O error on a device with no space left as ENOSPC, keeping the cause', () => {
    const e = asDiskFull(ioError, '/data/events.sqlite', free(8192)) as Error & { code: string };
    expect(e.code).toBe('ENOSPC');
    expect(e.message).toBe(
      'no space left on the device holding /data/events.sqlite (SQLITE_IOERR_FSYNC: disk I/O error)',
    );
    expect(e.cause).toBe(ioError);
  });

  it('leaves an I/O error with space left, other errors, and an in-memory store as they are', () => {
    expect(asDiskFull(ioError, '/data/events.sqlite', free(64 * 1024 * 1024))).toBe(ioError);
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(asDiskFull(busy, '/data/events.sqlite', free(0))).toBe(busy);
    expect(asDiskFull(ioError, null, free(0))).toBe(ioError);
    const unreadable = () => {
      throw new Error('statfs failed');
    };
    expect(asDiskFull(ioError, '/data/events.sqlite', unreadable)).toBe(ioError);
  });
});
