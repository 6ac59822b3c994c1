import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadBackupConfig, loadMaintenanceConfig } from '@ihl/config';
import { SqliteEventStore } from '@ihl/event-store';
import { BackupError } from '@ihl/runtime';
import { TEST_KEYS } from '../../../../test/support/ledger-test-app';
import { runBackup } from './backup.command';
import { restoreSummary, runRestore } from './restore.command';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

/**
 * The manifest proves a backup is the log that was copied; the verify walk after restoring proves
 * that log was not altered before it was copied (a backup of a tampered file matches its manifest).
 */
describe('ledger restore walks the restored log as ledger verify does', () => {
  let work: string;
  const live = () => join(work, 'live');

  beforeEach(async () => {
    work = mkdtempSync(join(tmpdir(), 'ihl-restore-verify-'));
    const store = new SqliteEventStore({ file: join(live(), 'events.sqlite') });
    for (let i = 0; i < 12; i++)
      await store.append(`s-${i % 3}`, [{ eventId: randomUUID(), type: 'Noted', data: { i } }], 'any');
    store.takeCheckpoint(privateKey);
    await store.close();
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const backupAndRestore = (into: string) => {
    const backup = join(work, 'backup');
    runBackup(loadBackupConfig({ DATA_DIR: live() }), backup);
    const config = loadMaintenanceConfig({ ...TEST_KEYS, DATA_DIR: join(work, into) });
    return runRestore(config, { from: backup, withoutErasureJournal: true, publicKey });
  };
  const tamper = (sql: string) => {
    const db = new Database(join(live(), 'events.sqlite'));
    db.prepare(sql).run();
    db.close();
  };

  it('restores a whole log and says what it proved', async () => {
    const r = await backupAndRestore('restored');
    expect(r.verified).toMatchObject({ ok: true, events: 12, checkpoints: 1, signaturesChecked: true });
    expect(restoreSummary(r)).toContainEqual('verified: 12 events chain whole, 1 checkpoints (signatures checked)');
  });

  it('fails loudly, naming the event, when the log backed up had been altered', async () => {
    tamper(`update events set data = json_set(data, '$.i', 99) where position = 3`);
    const restore = backupAndRestore('restored');
    await expect(restore).rejects.toThrow(BackupError);
    await expect(restore).rejects.toThrow(/the restored log is not whole: FAILED at position 3 \(altered\)/);
  });

  it('fails when events signed by a checkpoint were cut off the end before the backup', async () => {
    tamper('delete from events where position > 10');
    await expect(backupAndRestore('restored')).rejects.toThrow(/not whole: FAILED at position 11 \(missing\)/);
  });
});
