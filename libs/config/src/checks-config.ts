import { ConfigError } from './ledger-config';

type Env = Readonly<Record<string, string | undefined>>;

/** The scheduled checks: when the worker runs them and how long things may wait before they alert. */
export interface CheckSettings {
  /** LEDGER_CHECKS_CRON (5 or 6 cron fields, default daily at 06:00), or null: `off`, not scheduled. */
  readonly cron: string | null;
  /** LEDGER_CHECKS_TZ: the time zone of the cron (default Europe/Vilnius). */
  readonly timeZone: string;
  readonly thresholds: {
    /** LEDGER_CHECK_VERIFICATION_DAYS (default 30). */
    readonly verificationDays: number;
    /** LEDGER_CHECK_PERIOD_LOCK_DAYS (default 30). */
    readonly periodLockDays: number;
    /** LEDGER_CHECK_SILENT_PARTNER_DAYS (default 30). */
    readonly silentPartnerDays: number;
    /** LEDGER_CHECK_CERTIFICATE_EXPIRY_DAYS (60 unless set: then absent, the check's default). */
    readonly certificateExpiryDays?: number;
  };
}

function optional(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function days(env: Env, name: string): number {
  const v = optional(env, name);
  if (v === undefined) return 30;
  if (!/^\d{1,4}$/.test(v) || Number(v) > 3660)
    throw new ConfigError(name, `must be a whole number of days from 0 to 3660 (got "${v}")`);
  return Number(v);
}

const CRON_FIELD = /^[\d*,/-]+$/;

function cron(env: Env): string | null {
  const v = optional(env, 'LEDGER_CHECKS_CRON') ?? '0 6 * * *';
  if (v === 'off') return null;
  const fields = v.split(/\s+/);
  if (fields.length < 5 || fields.length > 6 || !fields.every((f) => CRON_FIELD.test(f)))
    throw new ConfigError('LEDGER_CHECKS_CRON', `must be 5 or 6 cron fields, e.g. "0 6 * * *", or off (got "${v}")`);
  return fields.join(' ');
}

function timeZone(env: Env): string {
  const v = optional(env, 'LEDGER_CHECKS_TZ') ?? 'Europe/Vilnius';
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
  } catch {
    throw new ConfigError('LEDGER_CHECKS_TZ', `must be an IANA time zone such as Europe/Vilnius (got "${v}")`);
  }
  return v;
}

export function loadCheckSettings(env: Env): CheckSettings {
  return {
    cron: cron(env),
    timeZone: timeZone(env),
    thresholds: {
      verificationDays: days(env, 'LEDGER_CHECK_VERIFICATION_DAYS'),
      periodLockDays: days(env, 'LEDGER_CHECK_PERIOD_LOCK_DAYS'),
      silentPartnerDays: days(env, 'LEDGER_CHECK_SILENT_PARTNER_DAYS'),
      // Only when set: the check's own default (60 days) applies otherwise.
      ...(optional(env, 'LEDGER_CHECK_CERTIFICATE_EXPIRY_DAYS') === undefined
        ? {}
        : { certificateExpiryDays: days(env, 'LEDGER_CHECK_CERTIFICATE_EXPIRY_DAYS') }),
    },
  };
}
