import { certificateStatus, type CertificateStatus } from '../../certification/certification.state';
import { DEFAULT_CERTIFICATE_EXPIRY_DAYS, type AlertCheck, type CheckFacts } from './alert-check';

function withStatus(facts: CheckFacts, wanted: CertificateStatus) {
  const days = facts.thresholds.certificateExpiryDays ?? DEFAULT_CERTIFICATE_EXPIRY_DAYS;
  return (facts.certificates ?? [])
    .filter((c) => certificateStatus(c, facts.today, days) === wanted)
    .map((c) => ({
      check: `certificate-${wanted}`,
      subject: { partnerId: c.partnerId, recordId: c.certificateId },
      details: { scheme: c.scheme, validTo: c.validTo },
    }));
}

/**
 * A quality certificate within `certificateExpiryDays` of its last valid day (that day included):
 * time to renew it. A renewal or withdrawal ends the alert; so does its expiry, which raises the next.
 */
export const certificateExpiringCheck: AlertCheck = {
  name: 'certificate-expiring',
  find: (facts) => withStatus(facts, 'expiring'),
};

/** A quality certificate past its last valid day and not withdrawn: a renewal ends the alert. */
export const certificateExpiredCheck: AlertCheck = {
  name: 'certificate-expired',
  find: (facts) => withStatus(facts, 'expired'),
};
