/** Longest stored name, in characters (a scanned invoice's name, not a description). */
export const EVIDENCE_NAME_MAX = 120;

/**
 * The uploader's file name as the ledger keeps it: the last path segment only, Unicode NFC, without
 * control characters, quotes or characters Windows refuses in names, spaces collapsed, at most
 * EVIDENCE_NAME_MAX characters; "evidence" when nothing is left. It is shown back in
 * Content-Disposition, so nothing in it may break out of a header.
 */
export function sanitiseEvidenceName(original: string): string {
  const last = original.split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}"*:<>?|]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const name = [...cleaned].slice(0, EVIDENCE_NAME_MAX).join('').trim();
  return name === '' ? 'evidence' : name;
}
