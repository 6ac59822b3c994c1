import { DomainConflictError } from '../shared/validation';

/**
 * A claimed cost stays as the claim carries it: correcting, voiding or verifying it again would
 * make the claim's line disagree with its cost. Withdrawing the claim (before submission) frees it.
 */
export function assertNotClaimed(expenditure: { readonly claimedBy?: string }): void {
  if (expenditure.claimedBy !== undefined)
    throw new DomainConflictError(
      'claimed',
      `the expenditure is in payment claim ${expenditure.claimedBy}; withdraw the claim before changing it`,
    );
}
