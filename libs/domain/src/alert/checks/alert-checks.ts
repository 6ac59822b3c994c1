import type { AlertCheck } from './alert-check';
import { awaitingVerificationCheck } from './awaiting-verification.check';
import { behindTrajectoryCheck } from './behind-trajectory.check';
import { certificateExpiredCheck, certificateExpiringCheck } from './certificate-expiry.check';
import { findingOverdueCheck } from './finding-overdue.check';
import { noSubmissionsCheck } from './no-submissions.check';
import { overAllocationCheck } from './over-allocation.check';
import { periodNotLockedCheck } from './period-not-locked.check';

/** Every check a run of the checks runs; a new check is one file and one line here (docs/alerts.md). */
export const ALERT_CHECKS: readonly AlertCheck[] = [
  behindTrajectoryCheck,
  overAllocationCheck,
  awaitingVerificationCheck,
  periodNotLockedCheck,
  noSubmissionsCheck,
  findingOverdueCheck,
  certificateExpiringCheck,
  certificateExpiredCheck,
];
