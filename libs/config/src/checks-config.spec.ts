import { loadCheckSettings } from './checks-config';
import { ConfigError } from './ledger-config';

describe('scheduled checks settings', () => {
  it('default to daily at 06:00 Vilnius time and 30 days each', () => {
    expect(loadCheckSettings({})).toEqual({
      cron: '0 6 * * *',
      timeZone: 'Europe/Vilnius',
      thresholds: { verificationDays: 30, periodLockDays: 30, silentPartnerDays: 30 },
    });
  });

  it('take the cron (or off), the time zone and each threshold from the environment', () => {
    const s = loadCheckSettings({
      LEDGER_CHECKS_CRON: '30 5 * * 1-5',
      LEDGER_CHECKS_TZ: 'UTC',
      LEDGER_CHECK_VERIFICATION_DAYS: '14',
      LEDGER_CHECK_PERIOD_LOCK_DAYS: '0',
      LEDGER_CHECK_SILENT_PARTNER_DAYS: '60',
    });
    expect(s).toEqual({
      cron: '30 5 * * 1-5',
      timeZone: 'UTC',
      thresholds: { verificationDays: 14, periodLockDays: 0, silentPartnerDays: 60 },
    });
    expect(loadCheckSettings({ LEDGER_CHECKS_CRON: 'off' }).cron).toBeNull();
  });

  it.each([
    ['LEDGER_CHECKS_CRON', 'daily'],
    ['LEDGER_CHECKS_CRON', '0 6 * *'],
    ['LEDGER_CHECKS_TZ', 'Mars/Olympus'],
    ['LEDGER_CHECK_VERIFICATION_DAYS', '-1'],
    ['LEDGER_CHECK_SILENT_PARTNER_DAYS', '3.5'],
  ])('refuse %s=%s naming the variable', (name, value) => {
    expect(() => loadCheckSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => loadCheckSettings({ [name]: value })).toThrow(name);
  });

  it('take the certificates expiry warning from LEDGER_CHECK_CERTIFICATE_EXPIRY_DAYS, else leave the check its default', () => {
    expect(loadCheckSettings({ LEDGER_CHECK_CERTIFICATE_EXPIRY_DAYS: '90' }).thresholds.certificateExpiryDays).toBe(90);
    expect(loadCheckSettings({}).thresholds.certificateExpiryDays).toBeUndefined();
    expect(() => loadCheckSettings({ LEDGER_CHECK_CERTIFICATE_EXPIRY_DAYS: 'soon' })).toThrow(
      'LEDGER_CHECK_CERTIFICATE_EXPIRY_DAYS',
    );
  });
});
