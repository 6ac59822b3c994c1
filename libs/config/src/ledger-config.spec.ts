import { ConfigError, loadApiConfig, loadMaintenanceConfig, loadWorkerConfig } from './ledger-config';

const secret = 'x'.repeat(32);
const keys = { LEDGER_PSEUDONYM_KEY: 'a'.repeat(64), LEDGER_PROFILE_MASTER_KEY: 'b'.repeat(64) };

describe('config', () => {
  it('applies defaults for the embedded setup', () => {
    expect(loadApiConfig({ LEDGER_JWT_SECRET: secret, ...keys })).toEqual({
      host: '127.0.0.1',
      port: 3000,
      dataDir: './data',
      eventStoreConnectionString: undefined,
      redisUrl: undefined,
      jwtSecret: secret,
      jwtIssuer: 'integral-help-ledger',
      jwksUrl: undefined,
      jwtAudience: undefined,
      tokenMaxLifetimeSeconds: 43_200,
      rateLimitReadsPerMinute: 600,
      rateLimitWritesPerMinute: 120,
      rateLimitAnonymousPerMinute: 300,
      bodyLimitBytes: 1_048_576,
      projectFile: undefined,
      pseudonymKeyring: 'a'.repeat(64),
      profileMasterKey: 'b'.repeat(64),
      projectionHost: 'api',
      readiness: { maxBehindEvents: 1000, maxLagSeconds: 30 },
    });
  });

  it('reads the readiness thresholds, and refuses a lag of 0 seconds', () => {
    const env = { LEDGER_JWT_SECRET: secret, ...keys };
    expect(
      loadApiConfig({ ...env, LEDGER_READY_MAX_BEHIND_EVENTS: '0', LEDGER_READY_MAX_LAG_SECONDS: '5' }).readiness,
    ).toEqual({ maxBehindEvents: 0, maxLagSeconds: 5 });
    expect(() => loadApiConfig({ ...env, LEDGER_READY_MAX_LAG_SECONDS: '0' })).toThrow(
      /LEDGER_READY_MAX_LAG_SECONDS must be a whole number from 1/,
    );
  });

  it.each([
    [{}, 'LEDGER_JWT_SECRET', /is required/],
    [{ LEDGER_JWT_SECRET: 'short' }, 'LEDGER_JWT_SECRET', /at least 32/],
    [{ LEDGER_JWT_SECRET: secret, PORT: 'eighty' }, 'PORT', /whole number/],
    [
      { LEDGER_JWT_SECRET: secret, EVENTSTORE_CONNECTION_STRING: 'http://x' },
      'EVENTSTORE_CONNECTION_STRING',
      /esdb:\/\//,
    ],
    [{ LEDGER_JWT_SECRET: secret, REDIS_URL: 'localhost:6379' }, 'REDIS_URL', /redis:\/\//],
    [{ LEDGER_JWT_SECRET: secret, LEDGER_TOKEN_MAX_LIFETIME: '100y' }, 'LEDGER_TOKEN_MAX_LIFETIME', /duration/],
    [{ LEDGER_JWT_SECRET: secret, LEDGER_TOKEN_MAX_LIFETIME: '8d' }, 'LEDGER_TOKEN_MAX_LIFETIME', /to 604800 s/],
    [{ LEDGER_JWT_SECRET: secret, LEDGER_TOKEN_MAX_LIFETIME: '30s' }, 'LEDGER_TOKEN_MAX_LIFETIME', /from 60 s/],
  ])('refuses %j naming %s', (env, variable, message) => {
    try {
      loadApiConfig({ ...keys, ...(env as Record<string, string>) });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).variable).toBe(variable);
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).toContain(variable);
    }
  });

  it('takes the longest token lifetime as seconds or with a unit', () => {
    const lifetime = (v: string) =>
      loadApiConfig({ LEDGER_JWT_SECRET: secret, ...keys, LEDGER_TOKEN_MAX_LIFETIME: v }).tokenMaxLifetimeSeconds;
    expect(lifetime('3600')).toBe(3600);
    expect(lifetime('90m')).toBe(5400);
    expect(lifetime('2h')).toBe(7200);
    expect(lifetime('1d')).toBe(86_400);
  });

  it('takes an issuer key set instead of a secret, over https (http on loopback only)', () => {
    const c = loadApiConfig({
      ...keys,
      LEDGER_JWKS_URL: 'https://id.example.lt/.well-known/jwks.json',
      LEDGER_JWT_ISSUER: 'https://id.example.lt',
    });
    expect(c).toMatchObject({ jwtSecret: undefined, jwksUrl: 'https://id.example.lt/.well-known/jwks.json' });
    expect(() =>
      loadApiConfig({ ...keys, LEDGER_JWKS_URL: 'http://id.example.lt/jwks', LEDGER_JWT_ISSUER: 'x' }),
    ).toThrow(/LEDGER_JWKS_URL must use https/);
    expect(() => loadApiConfig({ ...keys, LEDGER_JWKS_URL: 'https://id.example.lt/jwks' })).toThrow(
      /LEDGER_JWT_ISSUER is required/,
    );
  });

  it('requires the privacy keys, naming them', () => {
    expect(() => loadApiConfig({ LEDGER_JWT_SECRET: secret, LEDGER_PROFILE_MASTER_KEY: 'b'.repeat(64) })).toThrow(
      /LEDGER_PSEUDONYM_KEY is required/,
    );
    expect(() =>
      loadApiConfig({
        LEDGER_JWT_SECRET: secret,
        LEDGER_PSEUDONYM_KEY: 'a'.repeat(64),
        LEDGER_PROFILE_MASTER_KEY: 'xyz',
      }),
    ).toThrow(/LEDGER_PROFILE_MASTER_KEY must be 64 hexadecimal digits/);
  });

  it('refuses a pseudonym key the person registry could not use, naming LEDGER_PSEUDONYM_KEY and never echoing it', () => {
    const malformed = [
      'dGhpcyBpcyBhIGJhc2U2NCBrZXkgbm90IGEgaGV4IGtleSBhdCBhbGwh', // base64, as an old recipe made
      'c'.repeat(62), // too short
      `1:${'c'.repeat(64)},1:${'d'.repeat(64)}`, // a version twice
      `v1:${'c'.repeat(64)}`,
      `1:${'c'.repeat(64)},2:${'c'.repeat(64)}`, // the same key under two versions
    ];
    const loaders = [
      (k: string) => loadApiConfig({ LEDGER_JWT_SECRET: secret, ...keys, LEDGER_PSEUDONYM_KEY: k }),
      (k: string) => loadMaintenanceConfig({ ...keys, LEDGER_PSEUDONYM_KEY: k }),
      (k: string) =>
        loadWorkerConfig({
          REDIS_URL: 'redis://127.0.0.1:6379',
          LEDGER_PROJECTIONS: 'worker',
          ...keys,
          LEDGER_PSEUDONYM_KEY: k,
        }),
    ];
    for (const key of malformed)
      for (const load of loaders) {
        let error: unknown;
        try {
          load(key);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).variable).toBe('LEDGER_PSEUDONYM_KEY');
        expect((error as Error).message).toMatch(/^configuration: LEDGER_PSEUDONYM_KEY is not a usable keyring/);
        expect((error as Error).message).not.toContain(key);
        expect((error as Error).message).not.toContain('c'.repeat(16));
      }
    expect(
      loadApiConfig({
        LEDGER_JWT_SECRET: secret,
        ...keys,
        LEDGER_PSEUDONYM_KEY: `2:${'c'.repeat(64)}, 1:${'d'.repeat(64)}`,
      }).pseudonymKeyring,
    ).toBe(`2:${'c'.repeat(64)}, 1:${'d'.repeat(64)}`);
  });

  it('requires REDIS_URL for the worker', () => {
    expect(() => loadWorkerConfig({})).toThrow(/REDIS_URL is required/);
    expect(loadWorkerConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('lets the worker host the projections, with the keys that open the profiles', () => {
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadWorkerConfig(redis)).toMatchObject({ projectionHost: 'api', privacy: undefined });
    // An import job records service recipients whatever process hosts the projections.
    expect(loadWorkerConfig({ ...redis, ...keys })).toMatchObject({
      projectionHost: 'api',
      privacy: { pseudonymKeyring: 'a'.repeat(64), profileMasterKey: 'b'.repeat(64) },
    });
    expect(() => loadWorkerConfig({ ...redis, LEDGER_PSEUDONYM_KEY: keys.LEDGER_PSEUDONYM_KEY })).toThrow(
      /LEDGER_PROFILE_MASTER_KEY is required/,
    );
    expect(() => loadWorkerConfig({ ...redis, LEDGER_PROJECTIONS: 'worker' })).toThrow(
      /LEDGER_PSEUDONYM_KEY is required/,
    );
    expect(loadWorkerConfig({ ...redis, ...keys, LEDGER_PROJECTIONS: 'worker' })).toMatchObject({
      projectionHost: 'worker',
      privacy: { pseudonymKeyring: 'a'.repeat(64), profileMasterKey: 'b'.repeat(64) },
    });
    expect(() => loadApiConfig({ LEDGER_JWT_SECRET: secret, ...keys, LEDGER_PROJECTIONS: 'elsewhere' })).toThrow(
      /LEDGER_PROJECTIONS must be one of api, worker/,
    );
  });

  it('keeps the person keys in DATA_DIR by default, on EventStoreDB with LEDGER_PERSON_KEYS=eventstore', () => {
    const env = { LEDGER_JWT_SECRET: secret, ...keys };
    const esdb = 'esdb://node1:2113,node2:2113?tls=true';
    expect(loadApiConfig(env).sharedPersonKeys).toBeUndefined();
    expect(
      loadApiConfig({ ...env, LEDGER_PERSON_KEYS: 'file', EVENTSTORE_CONNECTION_STRING: esdb }).sharedPersonKeys,
    ).toBeUndefined();
    expect(
      loadApiConfig({ ...env, LEDGER_PERSON_KEYS: 'eventstore', EVENTSTORE_CONNECTION_STRING: esdb }).sharedPersonKeys,
    ).toBe(esdb);
    expect(
      loadWorkerConfig({
        REDIS_URL: 'redis://r:6379',
        ...keys,
        LEDGER_PROJECTIONS: 'worker',
        LEDGER_PERSON_KEYS: 'eventstore',
        EVENTSTORE_CONNECTION_STRING: esdb,
      }).privacy?.sharedPersonKeys,
    ).toBe(esdb);
    expect(() => loadApiConfig({ ...env, LEDGER_PERSON_KEYS: 'eventstore' })).toThrow(
      /LEDGER_PERSON_KEYS eventstore needs EVENTSTORE_CONNECTION_STRING/,
    );
    expect(() => loadApiConfig({ ...env, LEDGER_PERSON_KEYS: 'redis' })).toThrow(
      /LEDGER_PERSON_KEYS must be one of file, eventstore \(got "redis"\)/,
    );
  });

  it('asks `ledger rebuild` for the keys, so a rebuild opens the same profiles as the live read models', () => {
    expect(() => loadMaintenanceConfig({})).toThrow(/LEDGER_PSEUDONYM_KEY is required/);
    expect(loadMaintenanceConfig({ ...keys, DATA_DIR: '/srv/ledger' })).toMatchObject({ dataDir: '/srv/ledger' });
  });
});

describe('loadApiConfig: web sign-in', () => {
  const base = {
    LEDGER_JWT_SECRET: 's'.repeat(40),
    LEDGER_PSEUDONYM_KEY: `1:${'3'.repeat(64)}`,
    LEDGER_PROFILE_MASTER_KEY: '4'.repeat(64),
  };
  const oidc = { LEDGER_OIDC_ISSUER: 'https://idp.example.lt', LEDGER_OIDC_CLIENT_ID: 'ledger-web' };

  it('has neither a provider nor demo users unless configured', () => {
    const config = loadApiConfig(base);
    expect(config.oidc).toBeUndefined();
    expect(config.demoUsers).toBeUndefined();
  });

  it('reads the provider, its client and the claims that carry role and partner', () => {
    expect(
      loadApiConfig({
        ...base,
        ...oidc,
        LEDGER_OIDC_CLIENT_SECRET: 'cs',
        LEDGER_PUBLIC_URL: 'https://ledger.example.lt/',
        LEDGER_OIDC_ROLE_CLAIM: 'ledger_role',
      }),
    ).toMatchObject({
      publicUrl: 'https://ledger.example.lt',
      oidc: {
        issuer: 'https://idp.example.lt',
        clientId: 'ledger-web',
        clientSecret: 'cs',
        redirectUri: 'https://ledger.example.lt/auth/callback',
        roleClaim: 'ledger_role',
        partnerClaim: 'partnerId',
        scope: 'openid',
      },
    });
  });

  it('names what a provider configuration lacks', () => {
    expect(() => loadApiConfig({ ...base, LEDGER_OIDC_ISSUER: 'https://idp.example.lt' })).toThrow(
      /LEDGER_OIDC_CLIENT_ID is required/,
    );
    expect(() => loadApiConfig({ ...base, ...oidc })).toThrow(/LEDGER_OIDC_REDIRECT_URI or LEDGER_PUBLIC_URL/);
    expect(() => loadApiConfig({ ...base, ...oidc, LEDGER_PUBLIC_URL: 'ftp://x' })).toThrow(/LEDGER_PUBLIC_URL/);
  });

  it('allows demo users only on the embedded default, never beside a real issuer', () => {
    expect(loadApiConfig({ ...base, LEDGER_DEMO_USERS: 'on' }).demoUsers).toBe(true);
    expect(loadApiConfig({ ...base, LEDGER_DEMO_USERS: 'off' }).demoUsers).toBeUndefined();
    expect(() => loadApiConfig({ ...base, LEDGER_DEMO_USERS: 'yes' })).toThrow(/LEDGER_DEMO_USERS must be on or off/);
    expect(() =>
      loadApiConfig({ ...base, ...oidc, LEDGER_PUBLIC_URL: 'https://l.example.lt', LEDGER_DEMO_USERS: 'on' }),
    ).toThrow(/LEDGER_DEMO_USERS must stay off/);
    expect(() =>
      loadApiConfig({
        ...base,
        LEDGER_JWKS_URL: 'https://idp.example.lt/jwks',
        LEDGER_JWT_ISSUER: 'https://idp.example.lt',
        LEDGER_DEMO_USERS: 'on',
      }),
    ).toThrow(/LEDGER_DEMO_USERS must stay off/);
  });
});
