import {
  activityVolumesProjection,
  alertsProjection,
  auditTrailProjection,
  budgetProjection,
  claimsProjection,
  checkFactsProjection,
  createPersonsReachedProjection,
  timelineProjection,
  qualityProjection,
  type ProfileOpener,
  type Projection,
} from '@ihl/projections';

/**
 * The read models of the ledger; sealed profiles are opened with the person keys of this process.
 * A profile that cannot be opened (a tampered seal, the wrong master key) must not stop every
 * figure: the person counts with unknown attributes and `onUnreadable` is told (for /health) — the
 * same in a serving process and in `ledger rebuild`, so both build the same read models.
 */
export function ledgerProjections(
  openProfile: ProfileOpener,
  onUnreadable: () => void = () => undefined,
): Projection[] {
  return [
    createPersonsReachedProjection((pseudonym, sealed) => {
      try {
        return openProfile(pseudonym, sealed);
      } catch {
        onUnreadable();
        return null;
      }
    }),
    budgetProjection,
    claimsProjection,
    activityVolumesProjection,
    auditTrailProjection,
    checkFactsProjection,
    alertsProjection,
    timelineProjection,
    qualityProjection,
  ];
}
