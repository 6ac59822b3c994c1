import { join } from 'node:path';
import { EsdbEventStore } from './esdb/esdb-event-store';
import type { EventStore } from './event-store.port';
import { SqliteEventStore, type CheckpointSettings } from './sqlite/sqlite-event-store';

export interface EventStoreSettings {
  /** When set, EventStoreDB/KurrentDB is used; otherwise the embedded SQLite file. */
  readonly eventStoreConnectionString?: string | undefined;
  readonly dataDir: string;
  readonly clock?: () => Date;
  /** Signed checkpoints of the log's hash chain, taken by this process (none without; EventStoreDB: by time only). */
  readonly checkpoints?: CheckpointSettings | null | undefined;
}

export function createEventStore(settings: EventStoreSettings): EventStore {
  if (settings.eventStoreConnectionString) {
    const cp = settings.checkpoints;
    return new EsdbEventStore({
      connectionString: settings.eventStoreConnectionString,
      ...(cp ? { checkpoints: { key: cp.key, everyMs: cp.everyMs } } : {}),
    });
  }
  return new SqliteEventStore({
    file: join(settings.dataDir, 'events.sqlite'),
    ...(settings.clock ? { clock: settings.clock } : {}),
    ...(settings.checkpoints ? { checkpoints: settings.checkpoints } : {}),
  });
}
