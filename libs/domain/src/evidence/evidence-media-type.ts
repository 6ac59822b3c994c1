import type { EvidenceMediaType } from './evidence.events';

const SIGNATURES: readonly { readonly type: EvidenceMediaType; readonly magic: readonly number[] }[] = [
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
];

/**
 * The media type of a file by its first bytes, or null when it is none of the kinds taken. A name
 * ending in .pdf or a declared Content-Type proves nothing: only the content decides.
 */
export function sniffEvidenceType(bytes: Uint8Array): EvidenceMediaType | null {
  const hit = SIGNATURES.find((s) => s.magic.length <= bytes.length && s.magic.every((b, i) => bytes[i] === b));
  return hit ? hit.type : null;
}

/** The extension a served file gets when its name has none of its type's. */
export const EVIDENCE_EXTENSION: Record<EvidenceMediaType, string> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
};
