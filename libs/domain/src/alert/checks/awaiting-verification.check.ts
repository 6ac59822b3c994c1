import { daysBetween, type AlertCheck } from './alert-check';

/**
 * A record (activity or expenditure) the server recorded more than `verificationDays` ago that is
 * still neither verified nor rejected (nor voided). The recorded day, not the client's date, counts.
 */
export const awaitingVerificationCheck: AlertCheck = {
  name: 'awaiting-verification',
  find: (facts) =>
    facts.pendingRecords
      .filter((r) => daysBetween(r.recordedOn, facts.today) > facts.thresholds.verificationDays)
      .map((r) => ({
        check: 'awaiting-verification',
        subject: { partnerId: r.partnerId, recordId: r.recordId },
        details: { kind: r.kind, recordedOn: r.recordedOn },
      })),
};
