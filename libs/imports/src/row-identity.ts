import { deterministicId } from '@ihl/application';
import { canonicalJson } from '@ihl/domain';
import type { ImportKind } from './import-columns';

/**
 * A row's record id when the file gives none: derived from partner, kind and the row's normalised
 * content, so the same row imported twice (the same file again, an overlapping one, a chunk redone
 * after a crash) lands on the same record. The personal code enters only as its keyed pseudonym: an
 * unkeyed hash of it would be a lookup table away from the code.
 */
export function rowRecordId(
  scope: { projectCode: string; partnerId: string; kind: ImportKind },
  content: unknown,
  pseudonymOf: (personalCode: string) => string,
): string {
  return deterministicId(
    `import:${scope.projectCode}:${scope.partnerId}:${scope.kind}`,
    canonicalJson(withoutPersonalCode(content, pseudonymOf)),
  );
}

function withoutPersonalCode(content: unknown, pseudonymOf: (code: string) => string): unknown {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return content;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(content)) {
    if (k === 'personalCode' && typeof v === 'string') out.pseudonym = pseudonymOf(v);
    else out[k] = withoutPersonalCode(v, pseudonymOf);
  }
  return out;
}

/** Whether the content holds a personal code its identity must key (the rows a worker thread cannot identify). */
export function hasPersonalCode(content: unknown): boolean {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return false;
  for (const [k, v] of Object.entries(content)) {
    if (k === 'personalCode' && typeof v === 'string') return true;
    if (hasPersonalCode(v)) return true;
  }
  return false;
}
