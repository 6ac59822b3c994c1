/**
 * One stream per project for its partners' planned places: places change while the project runs
 * (a mobile team gains a worker), so they are recorded events with history and as-of answers,
 * not a field of the project definition registered once.
 */
export const plannedPlacesStreamId = (projectCode: string): string => `planned-places-${projectCode}`;

/** How many persons the partner plans to serve at a time (its places), from now on. */
export interface PlannedPlacesSet {
  readonly type: 'PlannedPlacesSet';
  readonly data: { readonly projectCode: string; readonly partnerId: string; readonly places: number };
}

export type PlannedPlacesEvent = PlannedPlacesSet;
