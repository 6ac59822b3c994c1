import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { preparePrivateDbFile } from '@ihl/event-store';
import { ErasureJournal } from '@ihl/privacy';
import { BACKUP_FORMAT, BackupError, fileDigests, writeManifest, type BackupManifest } from './backup-manifest';
import { digestEventLog } from './event-log-digest';

export const BACKUP_EVENTS_FILE = 'events.sqlite';
export const BACKUP_KEYS_FILE = 'person-keys.sqlite';
export const BACKUP_JOURNAL_FILE = 'erasures.jsonl';
export const BACKUP_EVIDENCE_DIR = 'evidence';

export interface TakeBackupOptions {
  readonly dataDir: string;
  /** A new or empty folder. */
  readonly to: string;
  /** The live erasure journal (copied: a later restore of this backup knows the erasures before it). */
  readonly erasureJournal: string;
  /** The log lives in EventStoreDB: only the keys, journal and evidence are copied (docs/operations.md). */
  readonly eventStoreDb?: boolean;
  readonly now: () => Date;
}

/**
 * An online copy of the embedded store while the api keeps writing. The log is copied by one
 * `VACUUM INTO`, which reads one snapshot (one read transaction; in WAL mode writers go on): the copy
 * is the log exactly as it was at one position. The person keys are copied after it, so every key a
 * copied event was sealed with is in the copy (a key is committed before the event that uses it).
 * Read models are not copied: a restore rebuilds them from the log.
 */
export function takeBackup(options: TakeBackupOptions): BackupManifest {
  const events = join(options.dataDir, 'events.sqlite');
  const embedded = options.eventStoreDb !== true;
  if (embedded && !existsSync(events))
    throw new BackupError(`${options.dataDir} holds no events.sqlite: nothing to back up`);
  if (existsSync(options.to) && readdirSync(options.to).length > 0) {
    throw new BackupError(`${options.to} is not empty: a backup goes into a new or empty folder`);
  }
  mkdirSync(options.to, { recursive: true, mode: 0o700 });
  const takenAt = options.now().toISOString();
  if (embedded) vacuumInto(events, join(options.to, BACKUP_EVENTS_FILE));
  const keysFile = join(options.dataDir, 'person-keys.sqlite');
  if (existsSync(keysFile)) vacuumInto(keysFile, join(options.to, BACKUP_KEYS_FILE));
  const erasuresJournalled = ErasureJournal.read(options.erasureJournal).size;
  if (existsSync(options.erasureJournal)) copyFileSync(options.erasureJournal, join(options.to, BACKUP_JOURNAL_FILE));
  const evidenceFiles = copyEvidence(join(options.dataDir, BACKUP_EVIDENCE_DIR), join(options.to, BACKUP_EVIDENCE_DIR));
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    takenAt,
    eventStore: embedded ? 'sqlite' : 'eventstoredb',
    log: embedded ? digestEventLog(join(options.to, BACKUP_EVENTS_FILE)) : null,
    personKeys: countKeys(join(options.to, BACKUP_KEYS_FILE)),
    evidenceFiles,
    erasuresJournalled,
    files: fileDigests(options.to),
  };
  writeManifest(options.to, manifest);
  return manifest;
}

function vacuumInto(source: string, target: string): void {
  preparePrivateDbFile(target);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('vacuum into ?').run(target);
  } finally {
    db.close();
  }
}

export function countKeys(file: string): BackupManifest['personKeys'] {
  if (!existsSync(file)) return { keys: 0, erased: 0 };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare<[], { keys: number; erased: number }>(
        'select count(key) as keys, count(erased_at) as erased from person_keys',
      )
      .get();
    return { keys: row?.keys ?? 0, erased: row?.erased ?? 0 };
  } finally {
    db.close();
  }
}

/** Evidence files are content-addressed and never change: a plain copy of each is consistent. */
function copyEvidence(from: string, to: string): number {
  if (!existsSync(from)) return 0;
  let copied = 0;
  for (const entry of readdirSync(from, { withFileTypes: true, recursive: true })) {
    // Uploads in flight are dot-named temporaries; only linked (finished) files count.
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, source.slice(from.length));
    mkdirSync(join(target, '..'), { recursive: true, mode: 0o700 });
    copyFileSync(source, target);
    copied++;
  }
  return copied;
}
