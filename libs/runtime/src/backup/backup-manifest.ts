import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, statSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { EventLogDigest } from './event-log-digest';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 1;

/** What a backup holds; written last, so a folder without it is an unfinished backup. */
export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  /** ISO-8601 instant the copy of the log was taken at. */
  readonly takenAt: string;
  /** eventstoredb: the log is backed up with EventStoreDB's own tooling, not in this folder. */
  readonly eventStore: 'sqlite' | 'eventstoredb';
  /** The log as copied (null for eventstoredb): a restore checks the restored log against it. */
  readonly log: EventLogDigest | null;
  readonly personKeys: { readonly keys: number; readonly erased: number };
  readonly evidenceFiles: number;
  /** Erasures journalled up to the backup (re-applied by a restore with the live journal's). */
  readonly erasuresJournalled: number;
  /** Every file of the backup but the manifest, by path relative to the backup folder. */
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>;
}

export function sha256OfFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every regular file under `dir` (relative paths, sorted), the manifest excepted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.filter((f) => f !== MANIFEST_FILE).sort();
}

export function fileDigests(dir: string): BackupManifest['files'] {
  return Object.fromEntries(
    listFiles(dir).map((f) => [f, { bytes: statSync(join(dir, f)).size, sha256: sha256OfFile(join(dir, f)) }]),
  );
}

/** Written to a temporary name, fsynced and renamed: a manifest is whole or absent. */
export function writeManifest(dir: string, manifest: BackupManifest): void {
  const tmp = join(dir, `${MANIFEST_FILE}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, MANIFEST_FILE));
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

export function readManifest(dir: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
  } catch (e) {
    throw new BackupError(
      `${dir} holds no readable ${MANIFEST_FILE} (not a backup, or an unfinished one): ${String(e)}`,
    );
  }
  if (!isManifest(value))
    throw new BackupError(`${join(dir, MANIFEST_FILE)}: not a backup manifest of format ${BACKUP_FORMAT}`);
  return value;
}

function isManifest(value: unknown): value is BackupManifest {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<Record<keyof BackupManifest, unknown>>;
  const store = v.eventStore === 'sqlite' || v.eventStore === 'eventstoredb';
  return v.format === BACKUP_FORMAT && store && typeof v.log === 'object' && typeof v.files === 'object';
}

/** A backup or restore that cannot go on; the message says why and what to do. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}
