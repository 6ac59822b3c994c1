import { join } from 'node:path';
import type { BackupConfig } from '@ihl/config';
import { takeBackup, type BackupManifest } from '@ihl/runtime';

/**
 * `ledger backup --to DIR`: an online copy of the log (one consistent point), the person keys apart,
 * the erasure journal, the evidence files and a manifest; the api may keep writing meanwhile.
 */
export function runBackup(config: BackupConfig, to: string, now: () => Date = () => new Date()): BackupManifest {
  return takeBackup({
    dataDir: config.dataDir,
    to,
    erasureJournal: config.erasureJournal ?? join(config.dataDir, 'erasures.jsonl'),
    eventStoreDb: Boolean(config.eventStoreConnectionString),
    now,
  });
}

export function backupSummary(to: string, m: BackupManifest): string {
  const log = m.log
    ? `${m.log.events} events up to position ${m.log.position} (log sha256 ${m.log.sha256.slice(0, 16)})`
    : 'no events (EventStoreDB: back its database up with its own tooling)';
  return `backed up into ${to} at ${m.takenAt}: ${log}, ${m.personKeys.keys} person keys (${m.personKeys.erased} erased), ${m.evidenceFiles} evidence files, ${m.erasuresJournalled} journalled erasures`;
}
