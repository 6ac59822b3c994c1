import type { MaintenanceConfig } from '@ihl/config';
import { createEventStore } from '@ihl/event-store';
import { PrivacyPersonRegistry, ledgerProjections, rebuildReadModels, type RebuildResult } from '@ihl/runtime';

/**
 * `ledger rebuild`: replays the log into a fresh read-model file and points DATA_DIR at it. A running
 * api (or worker) keeps answering from the old file and swaps to the new one once it has caught up.
 */
export async function runRebuild(config: MaintenanceConfig): Promise<RebuildResult> {
  const store = createEventStore({
    dataDir: config.dataDir,
    eventStoreConnectionString: config.eventStoreConnectionString,
  });
  // The same keys as the live read models, so the breakdowns by sex and age come out the same.
  const persons = new PrivacyPersonRegistry({ dataDir: config.dataDir, ...config.privacy });
  try {
    return await rebuildReadModels({
      store: persons.feedFor(store),
      dataDir: config.dataDir,
      projections: ledgerProjections((pseudonym, sealed) => persons.open(pseudonym, sealed)),
      now: () => new Date(),
    });
  } finally {
    persons.close();
    await store.close();
  }
}
