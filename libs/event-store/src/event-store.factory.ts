import { join } from 'node:path';
import { EsdbEventStore } from './esdb/esdb-event-store';
import type { EventStore } from './event-store.port';
import { SqliteEventStore, type CheckpointSettings } from './sqlite/sqlite-event-store';

export interface EventStoreSettings {
  /** When set, EventStoreDB/KurrentDB is used; otherwise the embedded SQLite file. */
  readonly eventStoreConnectionString?: string | undefined;
  readonly dataDir: string;
  readonly clock?: () => Date;
  /** Signed checkpoints of the SQLite log's hash chain, taken by this process (none without). */
  readonly checkpoints?: CheckpointSettings | null | undefined;
}

export function createEventStore(settings: EventStoreSettings): EventStore {
  if (settings.eventStoreConnectionString) {
    return new EsdbEventStore({ connectionString: settings.eventStoreConnectionString });
  }
  return new SqliteEventStore({
    file: join(settings.dataDir, 'events.sqlite'),
    ...(settings.clock ? { clock: settings.clock } : {}),
    ...(settings.checkpoints ? { checkpoints: settings.checkpoints } : {}),
  });
}
