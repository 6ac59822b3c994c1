import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadMaintenanceConfig } from '@ihl/config';
import { SqliteEventStore } from '@ihl/event-store';
import { BackupError, PrivacyPersonRegistry, digestEventLog, readManifest, type BackupManifest } from '@ihl/runtime';
import { runRestore } from '../apps/cli/src/commands/restore.command';
import {
  TEST_KEYS,
  lithuanianCode,
  seedProject,
  startLedgerTestApp,
  url,
  type LedgerTestApp,
} from './support/ledger-test-app';

const ROOT = join(__dirname, '..');
const NOW = new Date('2024-06-15T10:00:00Z');

/** `ledger backup` as an operator runs it: its own process, beside the api that keeps writing. */
function backupProcess(env: Record<string, string>, to: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'backup', '--to', to], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`backup exited ${code}: ${out}`))));
  });
}

/**
 * Backup while writes go on, an erasure after it, the data directory lost, the backup restored:
 * the restored log equals the one backed up, the read models are rebuilt, and the person erased
 * after the backup stays erased.
 */
describe('ledger backup and restore', () => {
  const work = mkdtempSync(join(tmpdir(), 'ihl-backup-'));
  // The journal lives off DATA_DIR (in production: another volume), so it survives losing it.
  const journal = join(work, 'erasures.jsonl');
  const backupDir = join(work, 'backup');
  const anna = lithuanianCode('4450301123');
  const jonas = lithuanianCode('3470702123');
  let t: LedgerTestApp;
  let manifest: BackupManifest;
  let liveEvents = 0;
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const serve = (who: LedgerTestApp, personalCode: string, profile?: object, key?: string) =>
    request(who.base)
      .post(url('/activities/service-deliveries'))
      .set(who.as('partnerA'))
      .set(key ? { 'Idempotency-Key': key } : {})
      .send({
        occurredOn: '2024-03-01',
        service: 'care',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 30,
        recipient: { personalCode, ...(profile ? { profile } : {}) },
      });

  it('copies the log at one consistent point while the api keeps writing', async () => {
    t = await startLedgerTestApp(NOW, { LEDGER_ERASURE_JOURNAL: journal, RATE_LIMIT_WRITES_PER_MINUTE: '0' });
    await seedProject(t);
    await serve(t, anna, { sex: 'female', birthYear: 1945, disability: true }).expect(201);
    await serve(t, jonas, { sex: 'male', birthYear: 1947, disability: false }).expect(201);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        await serve(t, lithuanianCode(`39001010${String(i % 100).padStart(2, '0')}`)).expect(201);
        written++;
      }
    })();
    const out = await backupProcess({ ...TEST_KEYS, DATA_DIR: t.dir, LEDGER_ERASURE_JOURNAL: journal }, backupDir);
    // A few more after it: the live log moves past the backup's position.
    const after = written + 3;
    while (written < after) await new Promise((r) => setTimeout(r, 20));
    writing = false;
    await writer;
    expect(out).toMatch(/^backed up into /);
    manifest = readManifest(backupDir);
    const live = digestEventLog(join(t.dir, 'events.sqlite'));
    liveEvents = live.events;
    expect(manifest.log!.position).toBeLessThan(live.position);
    // The copy is exactly the live log's prefix up to its position: one point, nothing torn.
    expect(digestEventLog(join(t.dir, 'events.sqlite'), manifest.log!.position)).toEqual(manifest.log);
    expect(digestEventLog(join(backupDir, 'events.sqlite'))).toEqual(manifest.log);
    expect(manifest.personKeys.keys).toBeGreaterThanOrEqual(2);
    expect(Object.keys(manifest.files).sort()).toEqual(['events.sqlite', 'person-keys.sqlite']);
  }, 120_000);

  it('an erasure after the backup is journalled off the data directory', async () => {
    await request(t.base)
      .post('/api/v1/persons/erasures')
      .set(t.as('admin'))
      .send({ personalCode: jonas, reason: 'the person asked for erasure (GDPR art. 17)' })
      .expect(201);
    expect(readFileSync(journal, 'utf8').trim().split('\n')).toHaveLength(1);
    await t.close(); // the data directory is lost with it
  });

  const config = (dataDir: string, journalSetting?: string) =>
    loadMaintenanceConfig({
      ...TEST_KEYS,
      DATA_DIR: dataDir,
      ...(journalSetting ? { LEDGER_ERASURE_JOURNAL: journalSetting } : {}),
    });

  it('refuses to restore without the erasure journal, and a backup file that does not match the manifest', async () => {
    await expect(runRestore(config(join(work, 'no-journal')), { from: backupDir })).rejects.toThrow(BackupError);
    const tampered = join(work, 'tampered');
    mkdirSync(tampered);
    for (const f of ['manifest.json', 'events.sqlite', 'person-keys.sqlite'])
      writeFileSync(join(tampered, f), readFileSync(join(backupDir, f)));
    const bytes = readFileSync(join(tampered, 'events.sqlite'));
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(join(tampered, 'events.sqlite'), bytes);
    await expect(runRestore(config(join(work, 'r0'), journal), { from: tampered })).rejects.toThrow(
      /events.sqlite does not match its sha256/,
    );
  });

  it('restores into an empty DATA_DIR, proves the log whole, re-applies the erasure and rebuilds the read models', async () => {
    const dataDir = join(work, 'restored');
    const r = await runRestore(config(dataDir, journal), { from: backupDir });
    expect(r.log).toEqual(manifest.log);
    expect(r.erasuresReapplied).toBe(1);
    expect(r.rebuild.position).toBe(manifest.log!.position + 1);
    const persons = new PrivacyPersonRegistry({ dataDir, ...config(dataDir, journal).privacy });
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    try {
      const sealed = async (code: string) => {
        const { pseudonym } = persons.identify(code);
        const stream = await store.readStream(`person-${pseudonym}`);
        const profile = stream.find((e) => e.type === 'PersonProfileRecorded')!.data as { sealed: string };
        return { pseudonym, sealed: profile.sealed, types: stream.map((e) => e.type) };
      };
      const a = await sealed(anna);
      expect(persons.open(a.pseudonym, a.sealed)).toEqual(expect.objectContaining({ sex: 'female' }));
      const j = await sealed(jonas);
      expect(persons.open(j.pseudonym, j.sealed)).toBeNull();
      expect(j.types).toContain('PersonErased');
      expect((await store.readAll()).length).toBe(manifest.log!.events + 1);
    } finally {
      persons.close();
      await store.close();
    }
    // The restored api answers from the rebuilt read models: Jonas counts, his sex no more.
    const back = await startLedgerTestApp(NOW, { LEDGER_ERASURE_JOURNAL: journal }, { dir: dataDir });
    try {
      const progress = await request(back.base).get(url('/progress')).set(back.as('auditor')).expect(200);
      expect(progress.body.bySex).toEqual(expect.objectContaining({ female: 1, male: 0 }));
      // The same request again with its key: answered as the original (200, a replay), nothing new written.
      const first = await serve(back, anna, undefined, 'restored-retry').expect(201);
      const count = (await back.store.readAll()).length;
      const again = await serve(back, anna, undefined, 'restored-retry').expect(200);
      expect(again.body).toEqual(first.body);
      expect((await back.store.readAll()).length).toBe(count);
    } finally {
      await back.close();
    }
    expect(liveEvents).toBeGreaterThan(manifest.log!.events);
  }, 120_000);

  it('without the journal the erasure made after the backup would come back (what the journal prevents)', async () => {
    const dataDir = join(work, 'restored-without');
    const r = await runRestore(config(dataDir), { from: backupDir, withoutErasureJournal: true });
    expect(r.erasuresReapplied).toBe(0);
    const persons = new PrivacyPersonRegistry({ dataDir, ...config(dataDir).privacy });
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    try {
      const { pseudonym } = persons.identify(jonas);
      const stream = await store.readStream(`person-${pseudonym}`);
      const { sealed } = stream.find((e) => e.type === 'PersonProfileRecorded')!.data as { sealed: string };
      expect(persons.open(pseudonym, sealed)).toEqual(expect.objectContaining({ sex: 'male' }));
    } finally {
      persons.close();
      await store.close();
    }
  }, 60_000);
});
