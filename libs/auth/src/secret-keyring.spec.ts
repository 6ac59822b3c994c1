import { SignJWT } from 'jose';
import { createTokenVerifier } from './token-verifier';
import { mintToken } from './tokens';
import { secretKeyId } from './secret-keyring';

const OLD = 'the-secret-that-signed-until-today-0123';
const NEW = 'the-secret-that-signs-from-today-on-4567';
const issuer = 'integral-help-ledger';
const actor = { subject: 'auditor-1', role: 'agency-auditor' } as const;
const verifier = (previousSecrets?: string[]) =>
  createTokenVerifier({ kind: 'secret', secret: NEW, issuer, ...(previousSecrets ? { previousSecrets } : {}) });

/** A token signed with `secret` carrying the header `kid` given (or none). */
async function signed(secret: string, kid: string | undefined, now = Math.floor(Date.now() / 1000)) {
  return new SignJWT({ role: actor.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })
    .setSubject(actor.subject)
    .setIssuer(issuer)
    .setAudience('integral-help-ledger')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(secret));
}

describe('HS256 signing-key rotation by kid', () => {
  it('names each secret by a kid that does not show it', () => {
    expect(secretKeyId(OLD)).toMatch(/^[0-9a-f]{16}$/);
    expect(secretKeyId(OLD)).not.toBe(secretKeyId(NEW));
    expect(OLD).not.toContain(secretKeyId(OLD));
  });

  it('accepts tokens of the current and of a previous secret, each by its kid', async () => {
    const old = await mintToken({ secret: OLD, issuer }, actor);
    const current = await mintToken({ secret: NEW, issuer }, actor);
    await expect(verifier([OLD]).verify(old)).resolves.toEqual(actor);
    await expect(verifier([OLD]).verify(current)).resolves.toEqual(actor);
  });

  it('refuses a rotated-out secret once it is dropped from the previous ones', async () => {
    const old = await mintToken({ secret: OLD, issuer }, actor);
    await expect(verifier().verify(old)).rejects.toThrow('token signature or claims are invalid');
  });

  it('refuses a previous secret’s token once it has expired', async () => {
    const past = new Date(Date.now() - 2 * 3600_000);
    const old = await mintToken({ secret: OLD, issuer }, actor, { expiresIn: '1h', now: past });
    await expect(verifier([OLD]).verify(old)).rejects.toThrow('token expired');
  });

  it('checks a token without kid (minted before key ids) against the current secret only', async () => {
    await expect(verifier([OLD]).verify(await signed(NEW, undefined))).resolves.toEqual(actor);
    await expect(verifier([OLD]).verify(await signed(OLD, undefined))).rejects.toThrow(/signature or claims/);
  });

  it('refuses a token whose kid names another key than the one that signed it', async () => {
    await expect(verifier([OLD]).verify(await signed(OLD, secretKeyId(NEW)))).rejects.toThrow(/signature or claims/);
    // A kid of no secret held: checked against the current one, which did sign this one.
    await expect(verifier([OLD]).verify(await signed(NEW, 'ffffffffffffffff'))).resolves.toEqual(actor);
    await expect(verifier([OLD]).verify(await signed(OLD, 'ffffffffffffffff'))).rejects.toThrow(/signature/);
  });
});
