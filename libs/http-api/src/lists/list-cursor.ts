import { RECORD_SORTS, type RecordCursor, type RecordSort } from '@ihl/application';

/**
 * The `after` of a list: where the last page ended and in which order, opaque to clients (base64url
 * of `sort:seq:position:date`). A cursor of another order is refused, never read as if it fitted.
 */
export function encodeCursor(sort: RecordSort, c: RecordCursor): string {
  return Buffer.from(`${sort}:${c.seq}:${c.position}:${c.date}`).toString('base64url');
}

export function decodeCursor(text: string): { sort: RecordSort; cursor: RecordCursor } | null {
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(text)) return null;
  const m = /^([-a-z]+):(\d{1,15}):(\d{1,15}):(\d{4}-\d{2}-\d{2}|)$/.exec(Buffer.from(text, 'base64url').toString());
  if (!m || !RECORD_SORTS.includes(m[1] as RecordSort)) return null;
  return { sort: m[1] as RecordSort, cursor: { seq: Number(m[2]), position: Number(m[3]), date: m[4]! } };
}
