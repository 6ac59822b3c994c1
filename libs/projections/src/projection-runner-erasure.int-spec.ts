import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type NewEvent } from '@ihl/event-store';
import { activityVolumesProjection } from './activity-volumes.projection';
import { auditTrailProjection } from './audit-trail.projection';
import { createPersonsReachedProjection, type OpenedProfile } from './persons-reached.projection';
import { personsReached } from './persons-reached.query';
import { ProjectionRunner } from './projection-runner';

const CODE = '07-003-P-0001';
const ev = (type: string, data: object): NewEvent => ({ eventId: randomUUID(), type, data: data as never });
const seal = (p: OpenedProfile) => Buffer.from(JSON.stringify(p)).toString('base64');
/** Opened, the birth date; sealed (base64), text that carries none of its bytes. */
const BIRTH_DATE = '1961-01-01';
const SEALED = seal({ sex: 'female', birthDate: BIRTH_DATE, disability: true });
const open = (_: string, sealed: string) => JSON.parse(Buffer.from(sealed, 'base64').toString()) as OpenedProfile;
const service = (id: string, pseudonym: string) =>
  ev('ServiceDelivered', {
    activityId: id,
    projectCode: CODE,
    partnerId: 'visaginas-spc',
    fields: {
      kind: 'service-delivered',
      occurredOn: '2024-03-01',
      service: 'nursing',
      targetGroup: 'elderly',
      setting: 'home',
      durationMinutes: 60,
      recipient: { pseudonym, keyVersion: 1 },
    },
  });

describe('projection runner: an erased profile leaves no trace in the read-model files', () => {
  let dir: string;
  let store: SqliteEventStore;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-erasure-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    file = join(dir, 'read-models.sqlite');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const runner = (extra: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}) =>
    new ProjectionRunner({
      store,
      file,
      projections: [createPersonsReachedProjection(open), activityVolumesProjection, auditTrailProjection],
      ...extra,
    });
  const profileRows = (r: ProjectionRunner, pseudonym: string) =>
    (r.db.prepare('select count(*) as n from reach_profiles where pseudonym = ?').get(pseudonym) as { n: number }).n;
  /**
   * Which of the database file and its WAL hold what the profile row kept of it: the birth date in
   * clear, or the sealed text (whichever the projection keeps).
   */
  const holding = () =>
    [file, `${file}-wal`].filter(
      (f) => existsSync(f) && [BIRTH_DATE, SEALED].some((text) => readFileSync(f).includes(Buffer.from(text))),
    );

  async function profileThenHundredEvents(r: ProjectionRunner): Promise<void> {
    await store.append('activity-a0', [service('a0', 'p1')], 'no_stream');
    await store.append(
      'person-p1',
      [
        ev('PersonProfileRecorded', {
          pseudonym: 'p1',
          keyVersion: 1,
          sealed: SEALED,
        }),
      ],
      'no_stream',
    );
    for (let i = 1; i <= 100; i++) await store.append(`activity-a${i}`, [service(`a${i}`, `q${i}`)], 'no_stream');
    await r.waitFor(await store.headPosition(), 5000);
    expect(profileRows(r, 'p1')).toBeGreaterThan(0);
    // The search finds the profile where it lies before the erasure (so its absence after means something).
    expect(holding()).not.toEqual([]);
  }

  const erase = async (r: ProjectionRunner) => {
    const w = await store.append('person-p1', [ev('PersonErased', { pseudonym: 'p1', reason: 'asked' })], 'any');
    await r.waitFor(w.position, 5000);
  };

  it('neither the database file nor its WAL holds the erased profile once the erasure is applied', async () => {
    const r = runner();
    await r.start();
    await profileThenHundredEvents(r);
    await erase(r);
    expect(profileRows(r, 'p1')).toBe(0);
    expect(personsReached(r.db, CODE).byAgeAtEntry).toEqual({ unknown: 101 });
    // Checked with the runner still open: the close would remove the WAL anyway.
    expect(holding()).toEqual([]);
    await r.stop();
  });

  it('the same with an automatic checkpoint after every batch (the profile in the database file before the erasure)', async () => {
    const r = runner({ liveWalPages: 1 });
    await r.start();
    await profileThenHundredEvents(r);
    expect(holding()).toContain(file);
    await erase(r);
    expect(personsReached(r.db, CODE).byAgeAtEntry).toEqual({ unknown: 101 });
    expect(holding()).toEqual([]);
    await r.stop();
  });

  it('a rebuild that replays an erasure leaves no trace of the profile either', async () => {
    const live = runner();
    await live.start();
    await profileThenHundredEvents(live);
    await erase(live);
    await live.stop();
    file = join(dir, 'rebuilt.sqlite');
    const rebuilt = runner();
    await rebuilt.replayUntil(await store.headPosition());
    expect(holding()).toEqual([]);
    await rebuilt.stop();
  });

  it('a reader inside the WAL does not hold the runner up: it is reported, and a later batch truncates the WAL', async () => {
    const reports: Error[] = [];
    let reported: () => void = () => undefined;
    const report = new Promise<void>((resolve) => (reported = resolve));
    const r = runner({
      // No automatic checkpoint copies the profile into the database file before the reader starts:
      // only the WAL holds it then (what the reader keeps is then what it shows).
      liveWalPages: 100_000,
      walScrubRetryMs: [5, 5, 5],
      onWalNotScrubbed: (e) => {
        reports.push(e);
        reported();
      },
    });
    await r.start();
    await profileThenHundredEvents(r);
    // A follower in the middle of a query: its snapshot needs the WAL as it is.
    const reader = new Database(file, { readonly: true });
    reader.exec('begin');
    reader.prepare('select count(*) from reach_profiles').get();
    await erase(r);
    await report;
    expect(reports).toHaveLength(1);
    expect(reports[0]!.message).toMatch(/could not be truncated after an erasure/);
    expect(holding()).toEqual([`${file}-wal`]);
    reader.exec('commit');
    reader.close();
    const w = await store.append('activity-b1', [service('b1', 'q200')], 'no_stream');
    await r.waitFor(w.position, 5000);
    expect(holding()).toEqual([]);
    await r.stop();
  });
});
