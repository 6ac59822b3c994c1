import { cellToValue } from './cell-values';
import { IMPORT_COLUMNS, type ImportKind } from './import-columns';
import type { SourceRow } from './source-row';

/** The fields every sheet may carry beside the kind's own. */
const SHARED = new Set(['recordId', 'partnerId', 'kind']);

export interface RowBody {
  /** The body the API would be sent for the row (its own id field named as the API names it). */
  readonly body: Record<string, unknown>;
  readonly recordId?: string;
  readonly partnerId?: string;
}

/** A row's cells as the API's JSON body: `recipient.personalCode` nests, values follow cell-values.ts. */
export function rowBody(kind: ImportKind, row: SourceRow): RowBody {
  const body: Record<string, unknown> = {};
  const columns = IMPORT_COLUMNS[kind];
  let recordId: string | undefined;
  let partnerId: string | undefined;
  for (const [field, cell] of row.cells) {
    if (SHARED.has(field)) {
      const text = cell === null ? '' : String(cell).trim();
      if (field === 'recordId' && text !== '') recordId = text;
      if (field === 'partnerId' && text !== '') partnerId = text;
      continue;
    }
    const column = columns.find((c) => c.field === field);
    // A column of another kind in a mixed CSV: left to the API's validation when it holds something.
    const value = cellToValue(column?.type ?? 'text', cell);
    if (value !== undefined) setPath(body, field, value);
  }
  return { body, ...(recordId ? { recordId } : {}), ...(partnerId ? { partnerId } : {}) };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) at = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      at[k] = created;
      at = created;
    }
  }
  at[keys[keys.length - 1]!] = value;
}
