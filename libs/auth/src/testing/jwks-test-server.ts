import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload, type KeyLike } from 'jose';

/** One signing key of the stand-in issuer. */
export interface TestSigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
  readonly jwk: JWK;
}

export interface SignOptions {
  /** Signing key; default: the newest published key. */
  readonly key?: TestSigningKey;
  /** `kid` header; default: the key's kid. `null` leaves it out. */
  readonly kid?: string | null;
  readonly issuer?: string;
  readonly audience?: string;
  /** e.g. '5m', or an absolute epoch in seconds; `null` leaves `exp` out. */
  readonly expiresIn?: string | number | null;
  /** Epoch seconds; default now. `null` leaves `iat` out. */
  readonly issuedAt?: number | null;
}

/**
 * A stand-in OpenID issuer for tests: serves its JWKS over plain HTTP on 127.0.0.1 and signs RS256
 * tokens with the matching private keys. Counts the JWKS fetches so tests can see the cache at work.
 */
export class JwksTestServer {
  readonly issuer = 'https://issuer.test/realms/ledger';
  readonly audience = 'ledger-api';
  /** Published keys, newest last. */
  keys: TestSigningKey[] = [];
  fetches = 0;
  /** When set, the JWKS endpoint answers with this status instead of the key set. */
  failWith: number | undefined;
  private server: Server | undefined;
  private counter = 0;

  static async start(): Promise<JwksTestServer> {
    const s = new JwksTestServer();
    s.keys.push(await s.newKey());
    await s.listen();
    return s;
  }

  get jwksUrl(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the JWKS test server is not listening');
    return `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
  }

  /** A key that is not published (yet). */
  async newKey(): Promise<TestSigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = `key-${++this.counter}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return { kid, privateKey, publicKey, jwk };
  }

  /** Publishes a new key (keeping the old ones, as issuers do during a rotation) and returns it. */
  async rotate(): Promise<TestSigningKey> {
    const key = await this.newKey();
    this.keys.push(key);
    return key;
  }

  async sign(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
    const key = options.key ?? this.keys[this.keys.length - 1]!;
    const kid = options.kid === undefined ? key.kid : options.kid;
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid === null ? {} : { kid }) })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience);
    if (options.issuedAt !== null) jwt.setIssuedAt(options.issuedAt);
    const exp = options.expiresIn === undefined ? '5m' : options.expiresIn;
    if (exp !== null) jwt.setExpirationTime(exp);
    return jwt.sign(key.privateKey);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      this.fetches++;
      if (this.failWith !== undefined) {
        res.writeHead(this.failWith, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' })
        .end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  }
}
