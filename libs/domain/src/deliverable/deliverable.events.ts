import type { IsoDate } from '../shared/iso-date';

/** One stream per lump sum: its deliverable is paid once, so every submission and verdict is in one place. */
export const deliverableStreamId = (projectCode: string, lumpSumId: string): string =>
  `deliverable-${projectCode}-${lumpSumId}`;

/** A partner says the deliverable of a lump sum is achieved, with what shows it. */
export interface DeliverableAchieved {
  readonly type: 'DeliverableAchieved';
  readonly data: {
    readonly lumpSumId: string;
    readonly partnerId: string;
    readonly achievedOn: IsoDate;
    /** Ids of uploaded evidence files. */
    readonly evidenceIds: readonly string[];
    readonly note: string | null;
  };
}

/** Finance accepted the deliverable: the lump sum counts, whole. */
export interface DeliverableAccepted {
  readonly type: 'DeliverableAccepted';
  readonly data: { readonly lumpSumId: string };
}

/** Finance rejected the deliverable: the lump sum counts for nothing; the partner may submit again. */
export interface DeliverableRejected {
  readonly type: 'DeliverableRejected';
  readonly data: { readonly lumpSumId: string; readonly reason: string };
}

export type DeliverableEvent = DeliverableAchieved | DeliverableAccepted | DeliverableRejected;
