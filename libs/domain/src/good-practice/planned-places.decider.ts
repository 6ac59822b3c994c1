import type { ActivityActor } from '../activity/activity.state';
import { DomainForbiddenError, IssueCollector } from '../shared/validation';
import type { PlannedPlacesEvent } from './planned-places.events';

/** Each partner's planned places as last set. */
export type PlannedPlacesState = ReadonlyMap<string, number>;

export const evolvePlannedPlaces = (state: PlannedPlacesState, e: PlannedPlacesEvent): PlannedPlacesState =>
  new Map(state).set(e.data.partnerId, e.data.places);

export const foldPlannedPlaces = (events: readonly PlannedPlacesEvent[]): PlannedPlacesState =>
  events.reduce(evolvePlannedPlaces, new Map() as PlannedPlacesState);

export interface SetPlannedPlaces {
  readonly type: 'SetPlannedPlaces';
  readonly projectCode: string;
  readonly partnerId: string;
  readonly places: number;
}

/** The admin sets a partner's planned places (project setup, like allocations); the same again changes nothing. */
export function decidePlannedPlaces(
  state: PlannedPlacesState,
  cmd: SetPlannedPlaces,
  actor: ActivityActor,
  partnerIds: readonly string[],
): PlannedPlacesEvent[] {
  if (actor.role !== 'admin') throw new DomainForbiddenError('admin-only', 'only the admin sets planned places');
  const c = new IssueCollector();
  if (!partnerIds.includes(cmd.partnerId))
    c.add('partnerId', 'registered-partner', 'must be a partner of the project', cmd.partnerId);
  if (!Number.isInteger(cmd.places) || cmd.places < 0 || cmd.places > 100_000)
    c.add('places', 'count', 'must be a whole number from 0 to 100000', cmd.places);
  c.throwIfAny();
  if (state.get(cmd.partnerId) === cmd.places) return [];
  const { projectCode, partnerId, places } = cmd;
  return [{ type: 'PlannedPlacesSet', data: { projectCode, partnerId, places } }];
}
