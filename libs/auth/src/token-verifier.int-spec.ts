import { SignJWT, base64url, exportSPKI, type JWTPayload } from 'jose';
import { JwksTestServer } from './testing/jwks-test-server';
import {
  InvalidTokenError,
  TokenVerifierUnavailableError,
  createTokenVerifier,
  type JwksVerifierOptions,
  type TokenVerifier,
} from './token-verifier';
import { TokenLifetimeError, mintToken, verifyToken } from './tokens';

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('createTokenVerifier: JWKS (production path)', () => {
  let idp: JwksTestServer;
  let verifier: TokenVerifier;
  const jwks = (extra: Partial<JwksVerifierOptions> = {}) =>
    createTokenVerifier({ kind: 'jwks', jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: idp.audience, ...extra });

  beforeEach(async () => {
    idp = await JwksTestServer.start();
    verifier = jwks();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await idp.close();
  });

  const rejects = async (token: string, message: RegExp) => {
    const e = await verifier.verify(token).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(InvalidTokenError);
    expect((e as Error).message).toMatch(message);
  };

  it('accepts a token signed by a published key and maps the claims to the actor', async () => {
    await expect(verifier.verify(await idp.sign({ sub: 'alice', role: 'admin' }))).resolves.toEqual({
      subject: 'alice',
      role: 'admin',
    });
    const partner = await idp.sign({ sub: 'u7', role: 'partner-submitter', partnerId: 'visaginas-spc' });
    await expect(verifier.verify(partner)).resolves.toEqual({
      subject: 'u7',
      role: 'partner-submitter',
      partnerId: 'visaginas-spc',
    });
    expect(verifier.kind).toBe('jwks');
    expect(idp.fetches).toBe(1);
  });

  it('refuses a token whose subject is a personal code (it would be stored in every event it writes)', async () => {
    await rejects(await idp.sign({ sub: '46101010009', role: 'admin' }), /subject looks like a personal code/);
    await rejects(await idp.sign({ sub: 'lt:461-010-10009', role: 'agency-auditor' }), /personal code/);
    await expect(verifier.verify(await idp.sign({ sub: '461010100091', role: 'admin' }))).resolves.toEqual({
      subject: '461010100091',
      role: 'admin',
    });
  });

  it('never gives a partner id to a role that acts for the whole project', async () => {
    const token = await idp.sign({ sub: 'f1', role: 'finance-officer', partnerId: 'visaginas-spc' });
    await expect(verifier.verify(token)).resolves.toEqual({ subject: 'f1', role: 'finance-officer' });
  });

  it('refuses a token signed with a key the issuer did not publish, under a published kid', async () => {
    const stranger = await idp.newKey();
    await rejects(await idp.sign({ sub: 'a', role: 'admin' }, { key: stranger, kid: idp.keys[0]!.kid }), /invalid/);
  });

  it('refuses a token whose kid is unknown', async () => {
    const stranger = await idp.newKey();
    await rejects(await idp.sign({ sub: 'a', role: 'admin' }, { key: stranger }), /unknown key/);
  });

  it('refuses another issuer and another audience', async () => {
    await rejects(await idp.sign({ sub: 'a', role: 'admin' }, { issuer: 'https://evil.test' }), /claim iss/);
    await rejects(await idp.sign({ sub: 'a', role: 'admin' }, { audience: 'another-api' }), /claim aud/);
  });

  it('refuses an expired token but tolerates a few seconds of clock skew', async () => {
    await rejects(await idp.sign({ sub: 'a', role: 'admin' }, { expiresIn: nowSeconds() - 30 }), /expired/);
    await expect(
      verifier.verify(await idp.sign({ sub: 'a', role: 'admin' }, { expiresIn: nowSeconds() - 2 })),
    ).resolves.toMatchObject({ subject: 'a' });
  });

  it('refuses a token without an expiry and one that is not valid yet', async () => {
    await rejects(await idp.sign({ sub: 'a', role: 'admin' }, { expiresIn: null }), /claim exp/);
    await rejects(await idp.sign({ sub: 'a', role: 'admin', nbf: nowSeconds() + 60 }), /claim nbf/);
  });

  it('refuses a token living longer than 12 h (exp − iat), however it is signed: a 100-year admin token is 401', async () => {
    const now = nowSeconds();
    const century = 100 * 365 * 86_400;
    await rejects(
      await idp.sign({ sub: 'a', role: 'admin' }, { issuedAt: now, expiresIn: now + century }),
      /lives too long/,
    );
    await rejects(
      await idp.sign({ sub: 'a', role: 'admin' }, { issuedAt: now, expiresIn: now + 12 * 3600 + 1 }),
      /long/,
    );
    await expect(
      verifier.verify(await idp.sign({ sub: 'a', role: 'admin' }, { issuedAt: now, expiresIn: now + 12 * 3600 })),
    ).resolves.toMatchObject({ subject: 'a' });
    // Configured shorter (LEDGER_TOKEN_MAX_LIFETIME): an 8 h token is too long for a 1 h limit.
    verifier = jwks({ maxLifetimeSeconds: 3600 });
    await rejects(await idp.sign({ sub: 'a', role: 'admin' }, { issuedAt: now, expiresIn: now + 8 * 3600 }), /3600 s/);
  });

  it('requires iat and refuses one in the future beyond a minute of clock skew', async () => {
    const now = nowSeconds();
    await rejects(await idp.sign({ sub: 'a', role: 'admin' }, { issuedAt: null }), /claim iat is missing/);
    const yearAhead = now + 365 * 86_400;
    await rejects(
      await idp.sign({ sub: 'a', role: 'admin' }, { issuedAt: yearAhead, expiresIn: yearAhead + 3600 }),
      /iat is in the future/,
    );
    await rejects(
      await idp.sign({ sub: 'a', role: 'admin' }, { issuedAt: now + 120, expiresIn: now + 3600 }),
      /iat is in the future/,
    );
    // An issuer whose clock runs a few seconds ahead of ours is fine.
    await expect(
      verifier.verify(await idp.sign({ sub: 'a', role: 'admin' }, { issuedAt: now + 20, expiresIn: now + 3600 })),
    ).resolves.toMatchObject({ subject: 'a' });
    const notANumber = { sub: 'a', role: 'admin', iat: 'yesterday' } as unknown as JWTPayload;
    await rejects(await idp.sign(notANumber, { issuedAt: null }), /claim iat/);
  });

  it('refuses alg "none"', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(
      JSON.stringify({ sub: 'a', role: 'admin', iss: idp.issuer, aud: idp.audience, exp: nowSeconds() + 60 }),
    );
    await rejects(`${header}.${payload}.`, /invalid/);
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const key = idp.keys[0]!;
    for (const secret of [await exportSPKI(key.publicKey), JSON.stringify(key.jwk)]) {
      const forged = await new SignJWT({ sub: 'mallory', role: 'admin' })
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .setIssuer(idp.issuer)
        .setAudience(idp.audience)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      await rejects(forged, /invalid/);
    }
  });

  it('refuses a token whose claims do not make an actor', async () => {
    await rejects(await idp.sign({ sub: 'a', role: 'partner-submitter' }), /without partner id/);
    await rejects(await idp.sign({ sub: 'a', role: 'partner-submitter', partnerId: '' }), /without partner id/);
    await rejects(await idp.sign({ sub: 'a', role: 'root' }), /unknown role "root"/);
    await rejects(await idp.sign({ sub: 'a', roles: ['admin'] }), /unknown role null/);
    await rejects(await idp.sign({ role: 'admin' }), /claim sub/);
    await rejects(await idp.sign({ sub: ' ', role: 'admin' }), /no subject/);
  });

  it('refuses garbage', async () => {
    await rejects('not-a-token', /invalid/);
    await rejects('a.b.c', /invalid/);
  });

  it('fetches the key set once for many concurrent verifications', async () => {
    const token = await idp.sign({ sub: 'a', role: 'admin' });
    const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    expect(results).toHaveLength(20);
    expect(idp.fetches).toBe(1);
  });

  describe('key rotation', () => {
    it('refetches the key set when a token names a kid it has not cached', async () => {
      verifier = jwks({ jwksCooldownMs: 0 });
      const old = await idp.sign({ sub: 'a', role: 'admin' });
      await expect(verifier.verify(old)).resolves.toMatchObject({ subject: 'a' });
      expect(idp.fetches).toBe(1);
      await idp.rotate();
      const fresh = await idp.sign({ sub: 'b', role: 'admin' });
      await expect(verifier.verify(fresh)).resolves.toMatchObject({ subject: 'b' });
      expect(idp.fetches).toBe(2);
      // Both keys are cached now: no more fetches.
      await verifier.verify(old);
      await verifier.verify(fresh);
      expect(idp.fetches).toBe(2);
    });

    it('does not let unknown kids hammer the issuer: one refetch per cooldown', async () => {
      await verifier.verify(await idp.sign({ sub: 'a', role: 'admin' }));
      expect(idp.fetches).toBe(1);
      await idp.rotate();
      const rotated = await idp.sign({ sub: 'b', role: 'admin' });
      // Within the default 30 s cooldown the new kid is not fetched yet.
      await rejects(rotated, /unknown key/);
      await rejects(rotated, /unknown key/);
      expect(idp.fetches).toBe(1);
      const realNow = Date.now.bind(Date);
      jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 31_000);
      await expect(verifier.verify(rotated)).resolves.toMatchObject({ subject: 'b' });
      expect(idp.fetches).toBe(2);
      const forgedKid = await idp.sign({ sub: 'c', role: 'admin' }, { key: await idp.newKey() });
      await rejects(forgedKid, /unknown key/);
      expect(idp.fetches).toBe(2);
    });
  });

  describe('when the issuer cannot be reached', () => {
    it('answers "unavailable" (not "invalid") if the key set endpoint fails', async () => {
      idp.failWith = 503;
      const token = await idp.sign({ sub: 'a', role: 'admin' });
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenVerifierUnavailableError);
      idp.failWith = undefined;
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'a' });
    });

    it('answers "unavailable" if nothing listens', async () => {
      const token = await idp.sign({ sub: 'a', role: 'admin' });
      const url = idp.jwksUrl;
      await idp.close();
      const v = createTokenVerifier({ kind: 'jwks', jwksUrl: url, issuer: idp.issuer, audience: idp.audience });
      await expect(v.verify(token)).rejects.toThrow(TokenVerifierUnavailableError);
    });
  });

  it('refuses unsafe configurations', () => {
    const base = { kind: 'jwks' as const, jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: idp.audience };
    expect(() => createTokenVerifier({ ...base, algorithms: ['HS256' as never] })).toThrow(/HS256 is not allowed/);
    expect(() => createTokenVerifier({ ...base, algorithms: ['none' as never] })).toThrow(/none is not allowed/);
    expect(() => createTokenVerifier({ ...base, algorithms: [] })).toThrow(/must not be empty/);
    expect(() => createTokenVerifier({ ...base, audience: '' })).toThrow(/audience is required/);
    expect(() => createTokenVerifier({ ...base, issuer: '' })).toThrow(/issuer is required/);
    expect(() => createTokenVerifier({ ...base, jwksUrl: 'http://idp.example.org/jwks' })).toThrow(/https/);
    expect(() => createTokenVerifier({ ...base, jwksUrl: 'not a url' })).toThrow(/not a URL/);
    expect(() => createTokenVerifier({ ...base, jwksUrl: 'https://idp.example.org/jwks' })).not.toThrow();
    for (const maxLifetimeSeconds of [0, 59, 7 * 86_400 + 1, 1.5, Number.NaN])
      expect(() => createTokenVerifier({ ...base, maxLifetimeSeconds })).toThrow(/maxLifetimeSeconds/);
  });
});

describe('createTokenVerifier: shared secret (embedded default)', () => {
  const secret = 's'.repeat(40);
  const issuer = 'integral-help-ledger';
  const verifier = createTokenVerifier({ kind: 'secret', secret, issuer });

  it('verifies what mintToken mints, the same way verifyToken does', async () => {
    const token = await mintToken({ secret, issuer }, { subject: 'u1', role: 'partner-submitter', partnerId: 'p1' });
    const actor = { subject: 'u1', role: 'partner-submitter', partnerId: 'p1' };
    await expect(verifier.verify(token)).resolves.toEqual(actor);
    await expect(verifyToken({ secret, issuer }, token)).resolves.toEqual(actor);
    expect(verifier.kind).toBe('secret');
  });

  it('refuses another secret, another issuer and an expired token', async () => {
    const other = await mintToken({ secret: 'o'.repeat(40), issuer }, { subject: 'u', role: 'admin' });
    await expect(verifier.verify(other)).rejects.toThrow(/invalid/);
    const foreign = await mintToken({ secret, issuer: 'someone-else' }, { subject: 'u', role: 'admin' });
    await expect(verifier.verify(foreign)).rejects.toThrow(/claim iss/);
    const expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer(issuer)
      .setAudience('integral-help-ledger')
      .setIssuedAt(nowSeconds() - 120)
      .setExpirationTime(nowSeconds() - 60)
      .sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(expired)).rejects.toThrow(/expired/);
  });

  it('refuses an RS256 token even when the claims are right', async () => {
    const idp = await JwksTestServer.start();
    try {
      const token = await idp.sign({ sub: 'u', role: 'admin' }, { issuer, audience: 'integral-help-ledger' });
      await expect(verifier.verify(token)).rejects.toThrow(InvalidTokenError);
    } finally {
      await idp.close();
    }
  });

  const decode = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
  const signed = (claims: { iat?: number; exp: number }) => {
    const jwt = new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer(issuer)
      .setAudience('integral-help-ledger')
      .setExpirationTime(claims.exp);
    if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
    return jwt.sign(new TextEncoder().encode(secret));
  };

  it('refuses an HS256 token living longer than 12 h, without iat, or issued in the future', async () => {
    const now = nowSeconds();
    await expect(verifier.verify(await signed({ iat: now, exp: now + 100 * 365 * 86_400 }))).rejects.toThrow(
      /lives too long/,
    );
    await expect(verifier.verify(await signed({ exp: now + 3600 }))).rejects.toThrow(/claim iat is missing/);
    const yearAhead = now + 365 * 86_400;
    await expect(verifier.verify(await signed({ iat: yearAhead, exp: yearAhead + 3600 }))).rejects.toThrow(
      /iat is in the future/,
    );
    await expect(verifier.verify(await signed({ iat: now, exp: now + 12 * 3600 }))).resolves.toMatchObject({
      subject: 'u',
    });
    await expect(
      verifyToken({ secret, issuer, maxLifetimeSeconds: 3600 }, await signed({ iat: now, exp: now + 7200 })),
    ).rejects.toThrow(/at most 3600 s/);
  });

  it('mintToken mints at most 12 h (or the configured maximum), exp counted from iat', async () => {
    const actor = { subject: 'u', role: 'admin' } as const;
    for (const expiresIn of ['13h', '7d', '36500d', '0s'])
      await expect(mintToken({ secret, issuer }, actor, { expiresIn })).rejects.toThrow(TokenLifetimeError);
    await expect(mintToken({ secret, issuer }, actor, { expiresIn: '100y' })).rejects.toThrow(/--expires/);
    await expect(mintToken({ secret, issuer }, actor, { expiresIn: '7d' })).rejects.toThrow(/at most|to 12h/);
    await expect(mintToken({ secret, issuer, maxLifetimeSeconds: 3600 }, actor, { expiresIn: '2h' })).rejects.toThrow(
      /to 1h/,
    );
    const longest = await mintToken({ secret, issuer }, actor, { expiresIn: '12h' });
    await expect(verifier.verify(longest)).resolves.toEqual(actor);
    const byDefault = decode(await mintToken({ secret, issuer }, actor));
    expect(byDefault.exp - byDefault.iat).toBe(8 * 3600);
    const asOf = decode(
      await mintToken({ secret, issuer }, actor, { expiresIn: '30m', now: new Date('2024-06-15T10:00:00Z') }),
    );
    expect(asOf).toMatchObject({
      iat: Date.parse('2024-06-15T10:00:00Z') / 1000,
      exp: Date.parse('2024-06-15T10:30:00Z') / 1000,
    });
  });

  it('mintToken refuses actors that could not be verified', async () => {
    await expect(mintToken({ secret, issuer }, { subject: 'u', role: 'partner-submitter' })).rejects.toThrow(
      /needs a partner id/,
    );
    await expect(mintToken({ secret, issuer }, { subject: 'u', role: 'admin', partnerId: 'p' })).rejects.toThrow(
      /only partner-submitter/,
    );
  });
});
