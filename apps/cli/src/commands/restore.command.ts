import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { MaintenanceConfig } from '@ihl/config';
import { verifyEventLog, type ChainVerification } from '@ihl/event-store';
import { BackupError, restoreBackup, type RebuildResult, type RestoreResult } from '@ihl/runtime';
import { runRebuild } from './rebuild.command';

export interface RestoreFlags {
  readonly from: string;
  /** The journal of erasures made since (default: LEDGER_ERASURE_JOURNAL). */
  readonly erasures?: string | undefined;
  /** Restore even without a journal: erasures made after the backup then come back. */
  readonly withoutErasureJournal?: boolean;
  /** Checks the restored checkpoints' signatures (else only their hashes). */
  readonly publicKey?: KeyObject | null;
}

export type RestoreOutcome = RestoreResult & {
  readonly rebuild: RebuildResult;
  /** The verify walk over the restored log (null on EventStoreDB: its events are not restored here). */
  readonly verified: ChainVerification | null;
};

/**
 * `ledger restore --from DIR`: the backup into an empty DATA_DIR, checked whole against its manifest,
 * erasures made since the backup re-applied from the journal, the log walked as `ledger verify` does
 * (the manifest proves the copy, not that the log copied was unaltered), then the read models rebuilt.
 */
export async function runRestore(config: MaintenanceConfig, flags: RestoreFlags): Promise<RestoreOutcome> {
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
  const verified = verifyRestored(config, flags.publicKey ?? null);
  const rebuild = await runRebuild(config);
  return { ...restored, rebuild, verified };
}

/** The verify walk over the restored SQLite log; a fault stops the restore before the rebuild. */
function verifyRestored(config: MaintenanceConfig, publicKey: KeyObject | null): ChainVerification | null {
  if (config.eventStoreConnectionString) return null;
  const r = verifyEventLog(join(config.dataDir, 'events.sqlite'), publicKey ? { publicKey } : {});
  if (r.fault) {
    const { position, kind, detail } = r.fault;
    throw new BackupError(
      `the restored log is not whole: FAILED at position ${position} (${kind}): ${detail}; the read models were not rebuilt (run ledger verify for the same answer)`,
    );
  }
  return r;
}

export function restoreSummary(r: RestoreOutcome): string[] {
  return [
    r.log
      ? `restored ${r.log.events} events up to position ${r.log.position}: equal to the manifest (log sha256 ${r.log.sha256.slice(0, 16)})`
      : 'restored the person keys and evidence (the events are in EventStoreDB)',
    `erasures made after the backup re-applied: ${r.erasuresReapplied}`,
    ...(r.verified
      ? [
          `verified: ${r.verified.events} events chain whole, ${r.verified.checkpoints} checkpoints (${r.verified.signaturesChecked ? 'signatures checked' : 'signatures NOT checked: no public key'})`,
        ]
      : []),
    `read models rebuilt up to position ${r.rebuild.position} (content ${r.rebuild.contentHash.slice(0, 16)})`,
  ];
}
