import type { RecipientRef } from '../activity/activity-kinds';
import type { IsoDate } from '../shared/iso-date';

/**
 * One stream per partner of a project: its staff, positions and the persons whose service ended,
 * in order, so a coordinator's report folds one stream (seed 003's own reports).
 */
export const workforceStreamId = (projectCode: string, partnerId: string): string =>
  `workforce-${projectCode}.${partnerId}`;

export const WORKER_ROLES = [
  'social-worker',
  'assistant',
  'care-worker',
  'nurse',
  'psychologist',
  'coordinator',
  'other',
] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

/** Why a person's service ended; `other` needs a note. */
export const SERVICE_END_REASONS = [
  'no-longer-needed',
  'moved-away',
  'residential-care',
  'died',
  'refused',
  'other',
] as const;
export type ServiceEndReason = (typeof SERVICE_END_REASONS)[number];

/** A member of staff joined a mobile team: a pseudonymous reference, never a name. */
export interface WorkerRegistered {
  readonly type: 'WorkerRegistered';
  readonly data: {
    readonly partnerId: string;
    readonly workerRef: string;
    readonly teamRef: string;
    readonly role: WorkerRole;
    readonly startedOn: IsoDate;
  };
}

export interface WorkerAssigned {
  readonly type: 'WorkerAssigned';
  readonly data: {
    readonly partnerId: string;
    readonly workerRef: string;
    readonly teamRef: string;
    readonly assignedOn: IsoDate;
  };
}

export interface WorkerLeft {
  readonly type: 'WorkerLeft';
  readonly data: { readonly partnerId: string; readonly workerRef: string; readonly leftOn: IsoDate };
}

/** A position of a team became vacant (a worker left, or a new post was opened). */
export interface PositionVacated {
  readonly type: 'PositionVacated';
  readonly data: {
    readonly partnerId: string;
    readonly positionRef: string;
    readonly teamRef: string;
    readonly role: WorkerRole;
    readonly vacatedOn: IsoDate;
  };
}

export interface PositionFilled {
  readonly type: 'PositionFilled';
  readonly data: {
    readonly partnerId: string;
    readonly positionRef: string;
    readonly workerRef: string;
    readonly filledOn: IsoDate;
  };
}

/** A person's service with the partner ended; the person is a pseudonym, never a personal code. */
export interface ServiceEnded {
  readonly type: 'ServiceEnded';
  readonly data: {
    readonly partnerId: string;
    readonly recipient: RecipientRef;
    readonly endedOn: IsoDate;
    readonly reason: ServiceEndReason;
    readonly note?: string;
  };
}

export type WorkforceEvent =
  WorkerRegistered | WorkerAssigned | WorkerLeft | PositionVacated | PositionFilled | ServiceEnded;
