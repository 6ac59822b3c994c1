import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { personStreamId } from '@ihl/domain';
import { createEventStore } from '@ihl/event-store';
import { ErasureJournal } from '@ihl/privacy';
import { PrivacyPersonRegistry, type PersonRegistrySettings } from '../person-registry.adapter';
import { BackupError, readManifest, sha256OfFile, type BackupManifest } from './backup-manifest';
import { digestEventLog, type EventLogDigest } from './event-log-digest';
import { BACKUP_EVENTS_FILE, BACKUP_JOURNAL_FILE, BACKUP_KEYS_FILE } from './take-backup';

export interface RestoreBackupOptions {
  readonly from: string;
  /** An empty or missing folder. */
  readonly dataDir: string;
  readonly privacy: Omit<PersonRegistrySettings, 'dataDir'>;
  /**
   * Journals of the erasures made after the backup (the live one, kept off DATA_DIR's volume). None
   * given: the caller accepted that erasures made after the backup come back.
   */
  readonly erasureJournals: readonly string[];
  /** Set for EventStoreDB: its database was restored with its own tooling first; erasures go there. */
  readonly eventStoreConnectionString?: string | undefined;
}

export interface RestoreResult {
  readonly manifest: BackupManifest;
  /** The restored log up to the backup's position: equal to the manifest's (null: EventStoreDB). */
  readonly log: EventLogDigest | null;
  /** Persons whose erasure the backup did not hold yet: erased again, with a PersonErased event. */
  readonly erasuresReapplied: number;
}

/**
 * Copies a backup into an empty DATA_DIR after checking every file against the manifest, proves the
 * restored log equal to the one backed up, then erases again whoever the journals name (their key is
 * destroyed and a PersonErased event appended, so the read models forget them too). The caller
 * rebuilds the read models afterwards.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreResult> {
  const manifest = readManifest(options.from);
  checkFiles(options.from, manifest);
  if (existsSync(options.dataDir) && readdirSync(options.dataDir).length > 0) {
    throw new BackupError(`${options.dataDir} is not empty: restore goes into an empty DATA_DIR`);
  }
  for (const journal of options.erasureJournals) {
    if (!existsSync(journal)) throw new BackupError(`erasure journal ${journal} not found`);
  }
  // Read before anything is written: a journal inside the new DATA_DIR is a new, empty one.
  const erased = new Set([
    ...ErasureJournal.read(join(options.from, BACKUP_JOURNAL_FILE)),
    ...options.erasureJournals.flatMap((f) => [...ErasureJournal.read(f)]),
  ]);
  if ((manifest.eventStore === 'eventstoredb') !== Boolean(options.eventStoreConnectionString)) {
    throw new BackupError(
      `the backup is of a ledger on ${manifest.eventStore} but EVENTSTORE_CONNECTION_STRING is ${options.eventStoreConnectionString ? 'set' : 'unset'}`,
    );
  }
  copyBackup(options.from, options.dataDir, manifest);
  const log = manifest.log && checkLog(options.dataDir, manifest.log);
  const erasuresReapplied = await reapplyErasures(options, erased);
  return { manifest, log, erasuresReapplied };
}

function checkFiles(from: string, manifest: BackupManifest): void {
  for (const [name, expected] of Object.entries(manifest.files)) {
    const file = join(from, name);
    if (!existsSync(file)) throw new BackupError(`backup file ${name} is missing`);
    if (sha256OfFile(file) !== expected.sha256) throw new BackupError(`backup file ${name} does not match its sha256`);
  }
}

function checkLog(dataDir: string, expected: EventLogDigest): EventLogDigest {
  const log = digestEventLog(join(dataDir, BACKUP_EVENTS_FILE), expected.position);
  if (log.events !== expected.events || log.sha256 !== expected.sha256 || log.position !== expected.position) {
    throw new BackupError(
      `the restored log differs from the manifest (events ${log.events}/${expected.events}, position ${log.position}/${expected.position})`,
    );
  }
  return log;
}

function copyBackup(from: string, dataDir: string, manifest: BackupManifest): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (const name of Object.keys(manifest.files)) {
    if (name === BACKUP_JOURNAL_FILE) continue;
    const target = join(dataDir, name);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    copyFileSync(join(from, name), target);
  }
  if (manifest.eventStore === 'sqlite' && !existsSync(join(dataDir, BACKUP_EVENTS_FILE))) {
    throw new BackupError('the backup holds no events.sqlite');
  }
}

/**
 * Every pseudonym journalled: its key is destroyed (a no-op when the backup's key file has it erased
 * already) and, when its stream lacks PersonErased, the event is appended, as the erase command does.
 * The backup's own journal copy was taken after its key file, so it names every tombstone in it.
 */
async function reapplyErasures(options: RestoreBackupOptions, journalled: Set<string>): Promise<number> {
  if (!existsSync(join(options.dataDir, BACKUP_KEYS_FILE)) && journalled.size === 0) return 0;
  const persons = new PrivacyPersonRegistry({ ...options.privacy, dataDir: options.dataDir });
  const store = createEventStore({
    dataDir: options.dataDir,
    eventStoreConnectionString: options.eventStoreConnectionString,
  });
  let reapplied = 0;
  try {
    for (const pseudonym of [...journalled].sort()) {
      persons.erase(pseudonym);
      const stream = await store.readStream(personStreamId(pseudonym));
      if (stream.some((e) => e.type === 'PersonErased')) continue;
      await store.append(
        personStreamId(pseudonym),
        [
          {
            eventId: randomUUID(),
            type: 'PersonErased',
            data: { pseudonym, reason: 'erased after the backup restored; re-applied by ledger restore' },
            metadata: { actor: { subject: 'ledger restore', role: 'admin' }, recordedAt: new Date().toISOString() },
          },
        ],
        'any',
      );
      reapplied++;
    }
  } finally {
    persons.close();
    await store.close();
  }
  return reapplied;
}
