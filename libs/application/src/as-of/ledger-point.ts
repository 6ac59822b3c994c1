import {
  DomainNotFoundError,
  foldProject,
  projectStreamId,
  type ProjectEvent,
  type RegisteredProject,
} from '@ihl/domain';
import type { EventStore } from '@ihl/event-store';
import { eventAt } from '../shared/event-at';
import { toDomainEvent } from '../shared/event-mapping';
import { vilniusDate } from '../shared/vilnius-date';

/**
 * What an answer as of a position needs besides the read models: the project as it was registered
 * then, and when that position was recorded. Such an answer (a figure, an export) depends on nothing
 * else, not on the clock, so asking again with `?asOf=<position>` reproduces it byte for byte.
 */
export interface LedgerPoint {
  readonly position: number;
  /** When the last event included was recorded (ISO instant). */
  readonly recordedAt: string;
  /** That instant's calendar day in Vilnius. */
  readonly day: string;
  readonly project: RegisteredProject;
}

export async function ledgerPoint(store: EventStore, projectCode: string, position: number): Promise<LedgerPoint> {
  const stream = (await store.readStream(projectStreamId(projectCode))).filter((e) => e.position <= position);
  const project = foldProject(stream.map((e) => toDomainEvent<ProjectEvent>(e)));
  if (project.status !== 'registered') throw new DomainNotFoundError(`project ${projectCode} is not registered`);
  const recordedAt = (await eventAt(store, position))?.recordedAt ?? stream[stream.length - 1]!.recordedAt;
  return { position, recordedAt, day: vilniusDate(new Date(recordedAt)), project };
}
