import { parseKeyring } from '@ihl/privacy';

/** A missing or malformed setting: start-up stops with a message naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`configuration: ${variable} ${problem}`);
  }
}

export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly redisUrl: string | undefined;
  /** Required unless LEDGER_JWKS_URL names the issuer's key set. */
  readonly jwtSecret: string | undefined;
  /** LEDGER_JWT_PREVIOUS_SECRETS: rotated-out secrets whose tokens are accepted until they expire. */
  readonly jwtPreviousSecrets?: readonly string[];
  readonly jwtIssuer: string;
  readonly jwksUrl: string | undefined;
  readonly jwtAudience: string | undefined;
  /** Longest bearer-token lifetime (exp − iat) accepted, in seconds (LEDGER_TOKEN_MAX_LIFETIME). */
  readonly tokenMaxLifetimeSeconds: number;
  readonly rateLimitReadsPerMinute: number;
  readonly rateLimitWritesPerMinute: number;
  readonly rateLimitAnonymousPerMinute: number;
  readonly bodyLimitBytes: number;
  /** Largest file of evidence taken, in bytes (LEDGER_EVIDENCE_MAX_BYTES; unset: 10 MiB). */
  readonly evidenceMaxBytes?: number;
  readonly projectFile: string | undefined;
  readonly pseudonymKeyring: string;
  readonly profileMasterKey: string;
  /** LEDGER_ERASURE_JOURNAL: where erasures are journalled for restores; unset: DATA_DIR/erasures.jsonl. */
  readonly erasureJournal?: string | undefined;
  /** LEDGER_PERSON_KEYS=eventstore: the person keys live on this EventStoreDB, shared by the replicas. */
  readonly sharedPersonKeys?: string | undefined;
  /** Which process feeds the read models: the api itself, or the worker (the api then reads its file). */
  readonly projectionHost: ProjectionHost;
  /** GET /health/ready: not ready when the read models lag the log by more events, or longer, than this. */
  readonly readiness: ReadinessThresholds;
  /** The built web app (LEDGER_WEB_DIR); by default dist/web of this installation, when built. */
  readonly webDir?: string;
  /** The address users open (LEDGER_PUBLIC_URL): https there makes the session cookie Secure. */
  readonly publicUrl?: string;
  /** Sign-in to the web app through an OpenID provider (LEDGER_OIDC_*); unset: no provider. */
  readonly oidc?: OidcConfig;
  /** Local demo users on the sign-in page (LEDGER_DEMO_USERS=on); never with a provider or a JWKS. */
  readonly demoUsers?: true;
  /** LEDGER_LOG_LEVEL (default info). */
  readonly logLevel?: LogLevel;
  /** LEDGER_METRICS_TOKEN: the bearer token GET /metrics asks for; unset: /metrics is off (404). */
  readonly metricsToken?: string;
}

export interface OidcConfig {
  /** The provider's issuer URL; its discovery document is read from it (LEDGER_OIDC_ISSUER). */
  readonly issuer: string;
  readonly clientId: string;
  /** Unset: a public client (PKCE only). */
  readonly clientSecret?: string;
  /** Where the provider sends the browser back: LEDGER_OIDC_REDIRECT_URI, or LEDGER_PUBLIC_URL + /auth/callback. */
  readonly redirectUri: string;
  /** The claims carrying the ledger role and the partner id (LEDGER_OIDC_ROLE_CLAIM, LEDGER_OIDC_PARTNER_CLAIM). */
  readonly roleClaim: string;
  readonly partnerClaim: string;
  /** Scopes asked for (LEDGER_OIDC_SCOPE); default "openid". */
  readonly scope: string;
}

export interface ReadinessThresholds {
  /** Events of the log not yet in the read models (LEDGER_READY_MAX_BEHIND_EVENTS, default 1000). */
  readonly maxBehindEvents: number;
  /** Age of the oldest event not yet in them (LEDGER_READY_MAX_LAG_SECONDS, default 30). */
  readonly maxLagSeconds: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LEDGER_LOG_LEVEL: the least severe level written; unset: absent (the logger's default, info). */
export function logLevel(env: Env): { logLevel?: LogLevel } {
  const v = optional(env, 'LEDGER_LOG_LEVEL');
  if (v === undefined) return {};
  if (!(LOG_LEVELS as readonly string[]).includes(v))
    throw new ConfigError('LEDGER_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${v}")`);
  return { logLevel: v as LogLevel };
}

export const PROJECTION_HOSTS = ['api', 'worker'] as const;
export type ProjectionHost = (typeof PROJECTION_HOSTS)[number];

export interface WorkerConfig {
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly redisUrl: string;
  readonly projectionHost: ProjectionHost;
  /** Needed when the worker hosts the projections: profiles are opened for the breakdowns. */
  readonly privacy:
    | {
        readonly pseudonymKeyring: string;
        readonly profileMasterKey: string;
        readonly sharedPersonKeys?: string | undefined;
      }
    | undefined;
  /** LEDGER_LOG_LEVEL (default info). */
  readonly logLevel?: LogLevel;
}

/** What `ledger rebuild` needs: the log, the data directory and the keys that open the profiles. */
export interface MaintenanceConfig {
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly privacy: {
    readonly pseudonymKeyring: string;
    readonly profileMasterKey: string;
    /** LEDGER_ERASURE_JOURNAL: the erasures a restore re-applies; unset: DATA_DIR/erasures.jsonl. */
    readonly erasureJournal?: string | undefined;
    /** LEDGER_PERSON_KEYS=eventstore: the EventStoreDB the person keys are shared on. */
    readonly sharedPersonKeys?: string | undefined;
  };
}

type Env = Readonly<Record<string, string | undefined>>;

function optional(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function required(env: Env, name: string, hint: string): string {
  const v = optional(env, name);
  if (v === undefined) throw new ConfigError(name, `is required: ${hint}`);
  return v;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = optional(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${v}")`);
  }
  return Number(v);
}

const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** A duration in seconds: `43200`, `90s`, `720m`, `12h` or `1d`. */
function duration(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = optional(env, name);
  if (v === undefined) return fallback;
  const m = /^(\d{1,9})([smhd]?)$/.exec(v);
  const seconds = m ? Number(m[1]) * DURATION_UNITS[(m[2] || 's') as keyof typeof DURATION_UNITS] : NaN;
  if (!(seconds >= min && seconds <= max))
    throw new ConfigError(
      name,
      `must be a duration from ${min} s to ${max} s, as seconds or with a unit: 43200, 90m, 12h, 1d (got "${v}")`,
    );
  return seconds;
}

function url(env: Env, name: string, schemes: readonly string[]): string | undefined {
  const v = optional(env, name);
  if (v === undefined) return undefined;
  const scheme = v.split(':')[0] ?? '';
  if (!schemes.includes(scheme))
    throw new ConfigError(name, `must start with ${schemes.map((s) => `${s}://`).join(' or ')} (got "${v}")`);
  return v;
}

const ESDB_SCHEMES = ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover', 'kurrent', 'kurrent+discover'];

function projectionHost(env: Env): ProjectionHost {
  const v = optional(env, 'LEDGER_PROJECTIONS') ?? 'api';
  if (!(PROJECTION_HOSTS as readonly string[]).includes(v))
    throw new ConfigError('LEDGER_PROJECTIONS', `must be one of ${PROJECTION_HOSTS.join(', ')} (got "${v}")`);
  return v as ProjectionHost;
}

const KEYRING_FORMAT = '"1:<64 hex>" (later keys added as "1:<hex>,2:<hex>") or 64 hex digits';

function privacyKeys(env: Env): MaintenanceConfig['privacy'] {
  return {
    pseudonymKeyring: keyring(env, 'LEDGER_PSEUDONYM_KEY'),
    profileMasterKey: hexKey(env, 'LEDGER_PROFILE_MASTER_KEY'),
    erasureJournal: optional(env, 'LEDGER_ERASURE_JOURNAL'),
    sharedPersonKeys: sharedPersonKeys(env),
  };
}

const PERSON_KEY_STORES = ['file', 'eventstore'] as const;

/**
 * LEDGER_PERSON_KEYS: `file` (default, DATA_DIR/person-keys.sqlite of one machine) or `eventstore`
 * (on the EventStoreDB / KurrentDB of EVENTSTORE_CONNECTION_STRING, for several replicas).
 */
function sharedPersonKeys(env: Env): string | undefined {
  const v = optional(env, 'LEDGER_PERSON_KEYS') ?? 'file';
  if (!(PERSON_KEY_STORES as readonly string[]).includes(v))
    throw new ConfigError('LEDGER_PERSON_KEYS', `must be one of ${PERSON_KEY_STORES.join(', ')} (got "${v}")`);
  if (v === 'file') return undefined;
  const store = url(env, 'EVENTSTORE_CONNECTION_STRING', ESDB_SCHEMES);
  if (!store)
    throw new ConfigError('LEDGER_PERSON_KEYS', 'eventstore needs EVENTSTORE_CONNECTION_STRING (the keys live there)');
  return store;
}

/**
 * Parsed here, not only when the person registry opens it: its errors would otherwise reach the
 * operator at start-up without the variable's name. The parser's messages never echo key material.
 */
function keyring(env: Env, name: string): string {
  const v = required(env, name, `the HMAC key(s) that turn personal codes into pseudonyms: ${KEYRING_FORMAT}`);
  try {
    parseKeyring(v);
  } catch (e) {
    throw new ConfigError(
      name,
      `is not a usable keyring (${e instanceof Error ? e.message : String(e)}): ${KEYRING_FORMAT}`,
    );
  }
  return v;
}

function hexKey(env: Env, name: string): string {
  const v = required(env, name, 'the 64-hex-digit key that wraps the per-person profile keys');
  if (!/^[0-9a-fA-F]{64}$/.test(v)) throw new ConfigError(name, 'must be 64 hexadecimal digits (32 bytes)');
  return v;
}

export function loadApiConfig(env: Env): ApiConfig {
  const jwksUrl = url(env, 'LEDGER_JWKS_URL', ['https', 'http']);
  if (jwksUrl?.startsWith('http:') && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(jwksUrl)) {
    throw new ConfigError('LEDGER_JWKS_URL', 'must use https (http only for 127.0.0.1, localhost or [::1])');
  }
  const jwtSecret = jwksUrl
    ? optional(env, 'LEDGER_JWT_SECRET')
    : required(env, 'LEDGER_JWT_SECRET', 'the HMAC secret that signs bearer tokens (at least 32 characters)');
  if (jwtSecret !== undefined && jwtSecret.length < 32)
    throw new ConfigError('LEDGER_JWT_SECRET', 'must be at least 32 characters long');
  if (jwksUrl && !optional(env, 'LEDGER_JWT_ISSUER')) {
    throw new ConfigError('LEDGER_JWT_ISSUER', "is required with LEDGER_JWKS_URL: the issuer's exact iss value");
  }
  return {
    host: optional(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: optional(env, 'DATA_DIR') ?? './data',
    eventStoreConnectionString: url(env, 'EVENTSTORE_CONNECTION_STRING', ESDB_SCHEMES),
    redisUrl: url(env, 'REDIS_URL', ['redis', 'rediss']),
    jwtSecret,
    ...previousSecrets(env, jwtSecret),
    jwtIssuer: optional(env, 'LEDGER_JWT_ISSUER') ?? 'integral-help-ledger',
    jwksUrl,
    jwtAudience: optional(env, 'LEDGER_JWT_AUDIENCE'),
    // 12 h by default (a working day); 1 min to 7 days. Tokens living longer are refused (401).
    tokenMaxLifetimeSeconds: duration(env, 'LEDGER_TOKEN_MAX_LIFETIME', 12 * 3600, 60, 7 * 86_400),
    rateLimitReadsPerMinute: integer(env, 'RATE_LIMIT_READS_PER_MINUTE', 600, 0, 1_000_000),
    rateLimitWritesPerMinute: integer(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 120, 0, 1_000_000),
    rateLimitAnonymousPerMinute: integer(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', 300, 0, 1_000_000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 52_428_800),
    ...(optional(env, 'LEDGER_EVIDENCE_MAX_BYTES')
      ? { evidenceMaxBytes: integer(env, 'LEDGER_EVIDENCE_MAX_BYTES', 0, 1024, 104_857_600) }
      : {}),
    projectFile: optional(env, 'LEDGER_PROJECT_FILE'),
    ...privacyKeys(env),
    projectionHost: projectionHost(env),
    readiness: {
      maxBehindEvents: integer(env, 'LEDGER_READY_MAX_BEHIND_EVENTS', 1000, 0, 100_000_000),
      maxLagSeconds: integer(env, 'LEDGER_READY_MAX_LAG_SECONDS', 30, 1, 86_400),
    },
    webDir: optional(env, 'LEDGER_WEB_DIR'),
    ...webSignIn(env, jwksUrl),
    ...logLevel(env),
    ...metricsToken(env),
  };
}

/** Comma-separated; each as strong as the current secret, none equal to it. */
function previousSecrets(env: Env, current: string | undefined): { jwtPreviousSecrets?: readonly string[] } {
  const v = optional(env, 'LEDGER_JWT_PREVIOUS_SECRETS');
  if (v === undefined) return {};
  const name = 'LEDGER_JWT_PREVIOUS_SECRETS';
  if (current === undefined) throw new ConfigError(name, 'needs LEDGER_JWT_SECRET (the secret that signs now)');
  const secrets = v.split(',').map((x) => x.trim());
  if (secrets.some((x) => x.length < 32))
    throw new ConfigError(name, 'must be comma-separated secrets of at least 32 characters each');
  if (secrets.includes(current)) throw new ConfigError(name, 'must not hold the current LEDGER_JWT_SECRET');
  return { jwtPreviousSecrets: secrets };
}

/** A scraper's own secret, never a ledger token: reading metrics grants nothing else. */
function metricsToken(env: Env): { metricsToken?: string } {
  const v = optional(env, 'LEDGER_METRICS_TOKEN');
  if (v === undefined) return {};
  if (!/^[\x21-\x7e]{32,256}$/.test(v))
    throw new ConfigError('LEDGER_METRICS_TOKEN', 'must be 32 to 256 printable characters without spaces');
  return { metricsToken: v };
}

function webSignIn(env: Env, jwksUrl: string | undefined): Pick<ApiConfig, 'publicUrl' | 'oidc' | 'demoUsers'> {
  const publicUrl = url(env, 'LEDGER_PUBLIC_URL', ['https', 'http'])?.replace(/\/+$/, '');
  const issuer = url(env, 'LEDGER_OIDC_ISSUER', ['https', 'http']);
  const demo = optional(env, 'LEDGER_DEMO_USERS') ?? 'off';
  if (!['on', 'off'].includes(demo)) throw new ConfigError('LEDGER_DEMO_USERS', `must be on or off (got "${demo}")`);
  // Demo users sign in without a password: only on the embedded default, never beside a real issuer.
  if (demo === 'on' && (issuer || jwksUrl))
    throw new ConfigError('LEDGER_DEMO_USERS', 'must stay off when LEDGER_OIDC_ISSUER or LEDGER_JWKS_URL is set');
  const result = {
    ...(publicUrl ? { publicUrl } : {}),
    ...(demo === 'on' ? { demoUsers: true as const } : {}),
  };
  if (!issuer) return result;
  const clientId = required(env, 'LEDGER_OIDC_CLIENT_ID', "the web app's client id at the OpenID provider");
  const redirectUri =
    url(env, 'LEDGER_OIDC_REDIRECT_URI', ['https', 'http']) ?? (publicUrl ? `${publicUrl}/auth/callback` : undefined);
  if (!redirectUri)
    throw new ConfigError('LEDGER_OIDC_REDIRECT_URI', 'or LEDGER_PUBLIC_URL is required with LEDGER_OIDC_ISSUER');
  const clientSecret = optional(env, 'LEDGER_OIDC_CLIENT_SECRET');
  const oidc: OidcConfig = {
    issuer,
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    redirectUri,
    roleClaim: optional(env, 'LEDGER_OIDC_ROLE_CLAIM') ?? 'role',
    partnerClaim: optional(env, 'LEDGER_OIDC_PARTNER_CLAIM') ?? 'partnerId',
    scope: optional(env, 'LEDGER_OIDC_SCOPE') ?? 'openid',
  };
  return { ...result, oidc };
}

/** What `ledger init` and `ledger demo` need: where the data and the log are, validated like the others. */
export function loadStoreConfig(env: Env): Pick<MaintenanceConfig, 'dataDir' | 'eventStoreConnectionString'> {
  return {
    dataDir: optional(env, 'DATA_DIR') ?? './data',
    eventStoreConnectionString: url(env, 'EVENTSTORE_CONNECTION_STRING', ESDB_SCHEMES),
  };
}

export function loadMaintenanceConfig(env: Env): MaintenanceConfig {
  return {
    dataDir: optional(env, 'DATA_DIR') ?? './data',
    eventStoreConnectionString: url(env, 'EVENTSTORE_CONNECTION_STRING', ESDB_SCHEMES),
    privacy: privacyKeys(env),
  };
}

/** What `ledger backup` needs: no key (the copies stay as sealed as the files they copy). */
export interface BackupConfig {
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly erasureJournal: string | undefined;
}

export function loadBackupConfig(env: Env): BackupConfig {
  return {
    dataDir: optional(env, 'DATA_DIR') ?? './data',
    eventStoreConnectionString: url(env, 'EVENTSTORE_CONNECTION_STRING', ESDB_SCHEMES),
    erasureJournal: optional(env, 'LEDGER_ERASURE_JOURNAL'),
  };
}

export function loadWorkerConfig(env: Env): WorkerConfig {
  return {
    dataDir: optional(env, 'DATA_DIR') ?? './data',
    eventStoreConnectionString: url(env, 'EVENTSTORE_CONNECTION_STRING', ESDB_SCHEMES),
    redisUrl:
      url(env, 'REDIS_URL', ['redis', 'rediss']) ??
      (() => {
        throw new ConfigError('REDIS_URL', 'is required for the worker (e.g. redis://127.0.0.1:6379)');
      })(),
    projectionHost: projectionHost(env),
    // Imports of service records need the keys too, wherever the projections run.
    privacy:
      projectionHost(env) === 'worker' ||
      optional(env, 'LEDGER_PSEUDONYM_KEY') ||
      optional(env, 'LEDGER_PROFILE_MASTER_KEY')
        ? privacyKeys(env)
        : undefined,
    ...logLevel(env),
  };
}
