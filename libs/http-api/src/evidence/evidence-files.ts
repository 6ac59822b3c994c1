import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** DATA_DIR/evidence: the files of evidence, outside the event store (back it up beside it). */
export const evidenceDir = (dataDir: string): string => join(dataDir, 'evidence');

/** Where the file of hash `sha256` lives: `evidence/<first two hex digits>/<sha256>`. */
export function evidencePath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('an evidence file is named by a lower-case hex SHA-256');
  return join(evidenceDir(dataDir), sha256.slice(0, 2), sha256);
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Stores `bytes` under their SHA-256, once: written to a temporary file (0600) in the target's
 * directory, fsynced, then linked to its final name (a link never replaces an existing file, so two
 * uploads of the same content race harmlessly) and the directory fsynced. Answers whether this
 * call stored it (false: it was already there).
 */
export async function storeEvidence(dataDir: string, bytes: Uint8Array): Promise<{ sha256: string; stored: boolean }> {
  const sha256 = sha256Of(bytes);
  const target = evidencePath(dataDir, sha256);
  const dir = join(evidenceDir(dataDir), sha256.slice(0, 2));
  if (await exists(target)) return { sha256, stored: false };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${randomUUID()}.tmp`);
  try {
    const file = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    const stored = await link(temp, target).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST') return false;
        throw e;
      },
    );
    await syncDir(dir);
    return { sha256, stored };
  } finally {
    await rm(temp, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, constants.O_RDONLY);
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
