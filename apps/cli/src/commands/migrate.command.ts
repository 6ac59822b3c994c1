import { migrateLegacyRequestHashes, type LegacyRequestHashSettings } from '@ihl/runtime';

/** Repairs what earlier versions wrote; prints one line a migration. Safe to run again. */
export function runMigrate(settings: LegacyRequestHashSettings): string[] {
  const r = migrateLegacyRequestHashes(settings);
  if (!r.supported)
    return [
      'migrate: request hashes: not possible on EventStoreDB (events cannot be rewritten there); ' +
        'see docs/personal-data.md for what remains in a log written before the keyed fingerprints',
    ];
  const what =
    r.rekeyed + r.dropped === 0
      ? 'none left to rewrite'
      : `${r.rekeyed} unkeyed request hashes rekeyed, ${r.dropped} dropped (they covered erased persons)`;
  return [
    `migrate: request hashes: ${what}${r.checkpointed ? '' : '; the WAL is still held by a reader: run again to empty it'}`,
  ];
}
