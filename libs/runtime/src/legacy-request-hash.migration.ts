import { join } from 'node:path';
import { SqliteMetadataRewrite } from '@ihl/event-store';
import { DROPPED_REQUEST_HASH, LEGACY_REQUEST_HASH } from '@ihl/privacy';
import { PrivacyPersonRegistry } from './person-registry.adapter';

export interface LegacyRequestHashSettings {
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly privacy: { readonly pseudonymKeyring: string; readonly profileMasterKey: string };
}

export interface LegacyRequestHashReport {
  /** False on EventStoreDB, whose events cannot be rewritten in place. */
  readonly supported: boolean;
  /** Events whose unkeyed hash was replaced by its keyed form. */
  readonly rekeyed: number;
  /** Events whose hash covered an erased person: removed, nothing left to compare. */
  readonly dropped: number;
  /** Whether the WAL was emptied (false while another process kept a read open: run it again). */
  readonly checkpointed: boolean;
}

const SHA256_GLOB = '[0-9a-f]'.repeat(64);
const PSEUDONYM_IN_TEXT = /p[1-9]\d{0,8}_[0-9a-f]{64}/g;

/**
 * Versions before the keyed fingerprints stored `requestHash = SHA-256(method path subject body)`,
 * unkeyed: for a service delivery or an erasure the body held a personal code and a profile, so the
 * hash gave both away to a brute force. This rewrites every such hash in place (the events' data stays
 * untouched): to HMAC under a key derived from the profile master key, which still recognises a retry
 * of the same request, or — when the request named a person who has since been erased — to "dropped".
 * Idempotent: a second run finds nothing to do.
 */
export function migrateLegacyRequestHashes(settings: LegacyRequestHashSettings): LegacyRequestHashReport {
  if (settings.eventStoreConnectionString) return { supported: false, rekeyed: 0, dropped: 0, checkpointed: false };
  const persons = new PrivacyPersonRegistry({ dataDir: settings.dataDir, ...settings.privacy });
  const log = new SqliteMetadataRewrite(join(settings.dataDir, 'events.sqlite'));
  try {
    // One request's hash sits on every event it wrote (a batch, a record and its profile): a hash is
    // dropped when any of those events names an erased person.
    const erasedHashes = new Set<string>();
    const rows: [number, string][] = [];
    for (const row of log.rows('requestHash', SHA256_GLOB)) {
      if (!LEGACY_REQUEST_HASH.test(row.value)) continue;
      rows.push([row.position, row.value]);
      const named = `${row.streamId} ${row.data}`.match(PSEUDONYM_IN_TEXT) ?? [];
      if (named.some((p) => persons.isErased(p))) erasedHashes.add(row.value);
    }
    const values = new Map<number, string>();
    let dropped = 0;
    for (const [position, hash] of rows) {
      const gone = erasedHashes.has(hash);
      if (gone) dropped++;
      values.set(position, gone ? DROPPED_REQUEST_HASH : persons.fingerprinter.migrateLegacy(hash));
    }
    const changed = log.set('requestHash', values);
    if (changed > 0) log.compact();
    return { supported: true, rekeyed: changed - dropped, dropped, checkpointed: log.checkpoint() };
  } finally {
    log.close();
    persons.close();
  }
}
