import {
  DomainNotFoundError,
  foldProject,
  projectStreamId,
  type ProjectEvent,
  type RegisteredProject,
} from '@ihl/domain';
import type { EventStore, StoredEvent } from '@ihl/event-store';
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
  /** An event is at the position, so the point can never change (a point past the head, or in a gap, can). */
  readonly fixed?: boolean;
}

export async function ledgerPoint(store: EventStore, projectCode: string, position: number): Promise<LedgerPoint> {
  const stream = (await store.readStream(projectStreamId(projectCode))).filter((e) => e.position <= position);
  return ledgerPointOf(store, projectCode, position, stream);
}

/** The point from the project's events up to it (and the project they fold to, if known). */
async function ledgerPointOf(
  store: EventStore,
  projectCode: string,
  position: number,
  stream: readonly StoredEvent[],
  known?: RegisteredProject,
): Promise<LedgerPoint> {
  const project = known ?? foldProject(stream.map((e) => toDomainEvent<ProjectEvent>(e)));
  if (project.status !== 'registered') throw new DomainNotFoundError(`project ${projectCode} is not registered`);
  const at = await eventAt(store, position);
  const recordedAt = at?.recordedAt ?? stream[stream.length - 1]!.recordedAt;
  return { position, recordedAt, day: vilniusDate(new Date(recordedAt)), project, fixed: at !== undefined };
}

/**
 * Ledger points already asked for, so that a repeated as-of request reads nothing from the store:
 * a point never changes (the events up to a position are fixed). The project as registered is kept
 * once per revision of its stream (it changes rarely), shared by every point that saw that revision.
 * Bounded: least recently used points out first, then the revisions no kept point holds.
 */
export class LedgerPoints {
  private readonly points = new Map<string, { readonly recordedAt: string; readonly projectKey: string }>();
  private readonly projects = new Map<string, RegisteredProject>();

  constructor(private readonly maxPoints = 4096) {}

  get size(): { readonly points: number; readonly projects: number } {
    return { points: this.points.size, projects: this.projects.size };
  }

  async at(store: EventStore, projectCode: string, position: number): Promise<LedgerPoint> {
    const key = `${projectCode} ${position}`;
    const kept = this.points.get(key);
    const project = kept && this.projects.get(kept.projectKey);
    if (kept && project) {
      this.points.delete(key);
      this.points.set(key, kept);
      return {
        position,
        recordedAt: kept.recordedAt,
        day: vilniusDate(new Date(kept.recordedAt)),
        project,
        fixed: true,
      };
    }
    const stream = (await store.readStream(projectStreamId(projectCode))).filter((e) => e.position <= position);
    const projectKey = `${projectCode} ${stream.length}`;
    const point = await ledgerPointOf(store, projectCode, position, stream, this.projects.get(projectKey));
    if (!point.fixed) return point;
    this.projects.set(projectKey, point.project);
    this.points.set(key, { recordedAt: point.recordedAt, projectKey });
    if (this.points.size > this.maxPoints) this.evict();
    return point;
  }

  private evict(): void {
    for (const oldest of this.points.keys()) {
      if (this.points.size <= this.maxPoints) break;
      this.points.delete(oldest);
    }
    const held = new Set([...this.points.values()].map((p) => p.projectKey));
    for (const projectKey of this.projects.keys()) if (!held.has(projectKey)) this.projects.delete(projectKey);
  }
}
