import { Inject, Injectable } from '@nestjs/common';
import { DomainValidationError, type IsoDate, type RegisteredProject } from '@ihl/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@ihl/event-store';
import { ProjectContext } from '../shared/project-context';
import { CLOCK, type Clock } from '../shared/ports';
import { endOfVilniusDay, vilniusDate } from '../shared/vilnius-date';
import {
  READ_MODELS,
  asOfDay,
  positionAtEndOf,
  type AsOf,
  type FigureQuery,
  type ReadModelSet,
  type ReadModelsPort,
} from './as-of';
import { LedgerPoints } from './ledger-point';

/**
 * Where a figure query stands: the project (as registered at the as-of point, or now), the day that
 * counts as "today" (the asked day, the day the asked position was recorded, or today in Vilnius)
 * and the position to read at (undefined: the live read models).
 */
export interface FigureFrame {
  readonly project: RegisteredProject;
  readonly today: IsoDate;
  readonly asOf: { readonly position: number } | undefined;
}

/**
 * How every figure query reads: after the write it was told to wait for (`?position=`), on the live
 * read models or on a snapshot replayed up to its as-of point (`?asOf=`), in one consistent read.
 */
@Injectable()
export class FigureReader {
  /** Points asked for before: a repeated as-of request reads nothing from the store. */
  private readonly points = new LedgerPoints();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelsPort,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ProjectContext) private readonly projects: ProjectContext,
  ) {}

  /** Read-your-writes: resolves once the live read models include the position a write returned. */
  async ready(q: FigureQuery): Promise<void> {
    if (q.atLeastPosition !== undefined) await this.readModels.waitFor(q.atLeastPosition, q.waitMs);
  }

  /** The position an as-of point names: given, or the end of the day asked for, which must have come. */
  async position(asOf: AsOf): Promise<number> {
    if ('position' in asOf) return asOf.position;
    const today = vilniusDate(this.clock.now());
    if (asOf.date > today) {
      throw new DomainValidationError([
        {
          field: 'asOf',
          rule: 'not-after-today',
          message: `must be a day that has come (today is ${today} in Vilnius)`,
          value: asOf.date,
        },
      ]);
    }
    return this.readModels.positionAt
      ? this.readModels.positionAt(endOfVilniusDay(asOf.date))
      : positionAtEndOf(this.store, asOf.date);
  }

  /** A record's events as it stood at the as-of point (all of them without one). */
  async streamAsOf(streamId: string, asOf: AsOf | undefined): Promise<StoredEvent[]> {
    const events = await this.store.readStream(streamId);
    if (!asOf) return events;
    const upTo = await this.position(asOf);
    return events.filter((e) => e.position <= upTo);
  }

  /** Waits for the query's write, then fixes its frame; so an answer never depends on later events. */
  async frame(q: FigureQuery): Promise<FigureFrame> {
    await this.ready(q);
    if (!q.asOf)
      return {
        project: await this.projects.load(q.projectCode),
        today: vilniusDate(this.clock.now()),
        asOf: undefined,
      };
    const position = await this.position(q.asOf);
    const point = await this.points.at(this.store, q.projectCode, position);
    return { project: point.project, today: asOfDay(q, point.day), asOf: { position } };
  }

  /**
   * Runs `query` on the live read models, or on a snapshot replayed up to the as-of point. The answer
   * says which position it reflects, so a report can be reproduced exactly.
   */
  async read<T>(asOf: AsOf | undefined, query: (models: ReadModelSet) => T): Promise<T> {
    if (!asOf) return this.readModels.consistently(() => query(this.readModels));
    const snapshot = await this.readModels.asOf(await this.position(asOf));
    try {
      return snapshot.offThread ? await snapshot.offThread(query) : snapshot.consistently(() => query(snapshot));
    } finally {
      await snapshot.close();
    }
  }
}
