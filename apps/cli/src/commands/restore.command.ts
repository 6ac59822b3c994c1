import type { MaintenanceConfig } from '@ihl/config';
import { BackupError, restoreBackup, type RebuildResult, type RestoreResult } from '@ihl/runtime';
import { runRebuild } from './rebuild.command';

export interface RestoreFlags {
  readonly from: string;
  /** The journal of erasures made since (default: LEDGER_ERASURE_JOURNAL). */
  readonly erasures?: string | undefined;
  /** Restore even without a journal: erasures made after the backup then come back. */
  readonly withoutErasureJournal?: boolean;
}

/**
 * `ledger restore --from DIR`: the backup into an empty DATA_DIR, checked whole against its manifest,
 * erasures made since the backup re-applied from the journal, then the read models rebuilt.
 */
export async function runRestore(
  config: MaintenanceConfig,
  flags: RestoreFlags,
): Promise<RestoreResult & { readonly rebuild: RebuildResult }> {
  const journal = flags.erasures ?? config.privacy.erasureJournal;
  if (!journal && flags.withoutErasureJournal !== true) {
    throw new BackupError(
      'restore needs the erasure journal (--erasures FILE or LEDGER_ERASURE_JOURNAL): without it, persons erased after the backup would be readable again; --without-erasure-journal restores anyway',
    );
  }
  const restored = await restoreBackup({
    from: flags.from,
    dataDir: config.dataDir,
    privacy: config.privacy,
    erasureJournals: journal ? [journal] : [],
    eventStoreConnectionString: config.eventStoreConnectionString,
  });
  const rebuild = await runRebuild(config);
  return { ...restored, rebuild };
}

export function restoreSummary(r: RestoreResult & { readonly rebuild: RebuildResult }): string[] {
  return [
    r.log
      ? `restored ${r.log.events} events up to position ${r.log.position}: equal to the manifest (log sha256 ${r.log.sha256.slice(0, 16)})`
      : 'restored the person keys and evidence (the events are in EventStoreDB)',
    `erasures made after the backup re-applied: ${r.erasuresReapplied}`,
    `read models rebuilt up to position ${r.rebuild.position} (content ${r.rebuild.contentHash.slice(0, 16)})`,
  ];
}
