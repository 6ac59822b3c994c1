import type { AlertCheck } from './alert-check';

/**
 * An inspection finding still open after its due day (on the due day itself it is not yet late).
 * Escalation does not end it: only a resolution does.
 */
export const findingOverdueCheck: AlertCheck = {
  name: 'finding-overdue',
  find: (facts) =>
    facts.openFindings
      .filter((f) => f.dueOn < facts.today)
      .map((f) => ({
        check: 'finding-overdue',
        subject: { partnerId: f.partnerId, recordId: `${f.inspectionId}/${f.findingId}` },
        details: { severity: f.severity, dueOn: f.dueOn },
      })),
};
