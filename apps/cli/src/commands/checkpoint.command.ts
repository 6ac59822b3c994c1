import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { EsdbEventStore, SqliteEventStore, checkpointToken } from '@ihl/event-store';

export interface CheckpointSettings {
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  /** LEDGER_CHECKPOINT_KEY_FILE's key; null when it is unset. */
  readonly key: KeyObject | null;
}

/**
 * `ledger checkpoint`: signs the chain's head now. Its own connection: a running api may keep writing
 * meanwhile (the checkpoint covers what was committed when it was taken).
 */
export async function runCheckpoint(s: CheckpointSettings): Promise<string[]> {
  if (!s.key) throw new Error('checkpoint: LEDGER_CHECKPOINT_KEY_FILE must name the Ed25519 private key (PEM)');
  if (s.eventStoreConnectionString) return checkpointOnEventStoreDb(s.eventStoreConnectionString, s.key);
  const store = new SqliteEventStore({ file: join(s.dataDir, 'events.sqlite') });
  try {
    const c = store.takeCheckpoint(s.key);
    if (!c)
      return ['checkpoint: nothing to sign: the log is empty, or its last row has no chain hash (run ledger verify)'];
    return [
      `checkpoint: position ${c.position}, chain ${c.hash}, taken ${c.takenAt}, key ${c.keyId}`,
      checkpointToken(c),
    ];
  } finally {
    await store.close();
  }
}

/** On EventStoreDB the checkpoint is kept in the server, in the ledger's own system stream. */
async function checkpointOnEventStoreDb(connectionString: string, key: KeyObject): Promise<string[]> {
  const store = new EsdbEventStore({ connectionString });
  try {
    const c = await store.signCheckpoint(key);
    if (!c) return ['checkpoint: nothing to sign: the log is empty'];
    return [
      `checkpoint: position ${c.position}, heads ${c.headsDigest} (${c.streams} streams moved), taken ${c.takenAt}, key ${c.keyId}`,
    ];
  } finally {
    await store.close();
  }
}
