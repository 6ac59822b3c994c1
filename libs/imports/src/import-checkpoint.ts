import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** How far an import got: rows whose records are committed, the counts so far, the error file's length. */
export interface ImportCheckpoint {
  readonly sha256: string;
  readonly rowsDone: number;
  readonly imported: number;
  readonly alreadyPresent: number;
  readonly rejected: number;
  readonly errorBytes: number;
}

/**
 * Kept on disk next to the upload after every committed chunk: an import redone after its worker
 * died goes on from there (and the chunk in flight is redone, its records found by their ids).
 */
export async function loadCheckpoint(file: string, sha256: string): Promise<ImportCheckpoint | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const c = JSON.parse(text) as Partial<ImportCheckpoint>;
    const numbers = [c.rowsDone, c.imported, c.alreadyPresent, c.rejected, c.errorBytes];
    if (c.sha256 !== sha256 || !numbers.every((n) => Number.isSafeInteger(n) && Number(n) >= 0)) return null;
    return c as ImportCheckpoint;
  } catch {
    return null;
  }
}

export async function saveCheckpoint(file: string, c: ImportCheckpoint): Promise<void> {
  await writeFile(`${file}.part`, JSON.stringify(c), { mode: 0o600 });
  await rename(`${file}.part`, file);
}

export async function dropCheckpoint(file: string): Promise<void> {
  await rm(file, { force: true });
}
