import { UnrecoverableError } from 'bullmq';
import { ConfigError, type MaintenanceConfig } from '@ihl/config';
import { createEventStore } from '@ihl/event-store';
import { PrivacyPersonRegistry, ledgerProjections, rebuildReadModels } from '@ihl/runtime';
import type { JobHandler } from './job-registry';

/**
 * The same rebuild as `ledger rebuild`, reporting events replayed of the head. Redoing it is
 * harmless: it builds a fresh file and switches to it; a run cut short leaves a file the next removes.
 */
export function rebuildReadModelsJob(settings: () => MaintenanceConfig): JobHandler<'rebuild-read-models'> {
  return async (payload, context) => {
    const config = maintenanceConfig(settings);
    const store = createEventStore({
      dataDir: config.dataDir,
      eventStoreConnectionString: config.eventStoreConnectionString,
    });
    const persons = new PrivacyPersonRegistry({ dataDir: config.dataDir, ...config.privacy });
    try {
      const r = await rebuildReadModels({
        store: persons.feedFor(store),
        dataDir: config.dataDir,
        projections: ledgerProjections((pseudonym, sealed) => persons.open(pseudonym, sealed)),
        now: () => new Date(),
        onProgress: (done, total) => context.progress({ done, total }),
        ...(payload.pageSize ? { pageSize: payload.pageSize } : {}),
      });
      return { position: r.position, contentHash: r.contentHash };
    } finally {
      persons.close();
      await store.close();
    }
  };
}

/** Read when a rebuild runs: a worker without the privacy keys still runs the other jobs. */
function maintenanceConfig(settings: () => MaintenanceConfig): MaintenanceConfig {
  try {
    return settings();
  } catch (e) {
    // Retrying cannot mend a missing key.
    if (e instanceof ConfigError) throw new UnrecoverableError(e.message);
    throw e;
  }
}
