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
import { SharedKeyStoreUnavailableError } from '@ihl/privacy';

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
    createPersonsReachedProjection(tolerantOpener(openProfile, onUnreadable)),
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

/**
 * An unreadable profile counts as unknown; but a shared key store that did not answer fails the
 * batch (the runner retries it from its checkpoint): counted unknown, the person would stay so on
 * this replica only, and its figures would differ from the others'.
 */
export function tolerantOpener(openProfile: ProfileOpener, onUnreadable: () => void): ProfileOpener {
  return (pseudonym, sealed) => {
    try {
      return openProfile(pseudonym, sealed);
    } catch (e) {
      if (e instanceof SharedKeyStoreUnavailableError) throw e;
      onUnreadable();
      return null;
    }
  };
}
