// The text format of a sealed profile and the checks on what may be sealed (see PersonKeyStore).

export const SEALED_PROFILE_VERSION = 'v1';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/** A sealed profile or a wrapped key that is malformed or fails authentication (tampered or foreign). */
export class ProfileIntegrityError extends Error {
  override readonly name = 'ProfileIntegrityError';
}

/** Sealed profiles are padded to a multiple of this, so the ciphertext's length tells nothing of the values. */
export const SEALED_PROFILE_BLOCK = 256;

/** JSON.parse ignores trailing white space, so padding with spaces needs no format change to open. */
export function padded(json: string): string {
  const bytes = Buffer.byteLength(json, 'utf8');
  return json + ' '.repeat(Math.ceil((bytes + 1) / SEALED_PROFILE_BLOCK) * SEALED_PROFILE_BLOCK - bytes);
}

export function parseSealed(sealed: string): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 4 || parts[0] !== SEALED_PROFILE_VERSION) {
    throw new ProfileIntegrityError(`sealed profile must look like ${SEALED_PROFILE_VERSION}.<iv>.<tag>.<ciphertext>`);
  }
  const [iv, tag, ciphertext] = parts.slice(1).map(strictBase64url) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES || ciphertext.length === 0) {
    throw new ProfileIntegrityError('sealed profile has a part of the wrong length');
  }
  return { iv, tag, ciphertext };
}

function strictBase64url(text: string): Buffer {
  // Buffer.from skips bad characters silently; insist on the canonical form so tampering cannot hide there.
  const bytes = /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
  if (bytes === undefined || bytes.toString('base64url') !== text) {
    throw new ProfileIntegrityError('sealed profile is not canonical base64url');
  }
  return bytes;
}

export function assertPlainObject(value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('profile must be a plain object');
  }
}

/** Refuses values JSON would silently change (undefined, NaN, Dates, Maps, ...); names the path, not the value. */
export function assertJsonSafe(value: unknown, path: string, ancestors: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: numbers must be finite`);
    return;
  }
  if (typeof value !== 'object') throw new TypeError(`${path}: a ${typeof value} cannot be stored as JSON`);
  if (ancestors.has(value)) throw new TypeError(`${path}: circular reference`);
  ancestors.add(value);
  if (Array.isArray(value)) {
    // Index loop, not forEach: holes must be refused (JSON turns them into null), not skipped.
    for (let i = 0; i < value.length; i++) assertJsonSafe(value[i], `${path}[${i}]`, ancestors);
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`${path}: only plain objects and arrays can be stored as JSON`);
    }
    for (const [k, v] of Object.entries(value)) assertJsonSafe(v, `${path}.${k}`, ancestors);
  }
  ancestors.delete(value);
}
