import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { EsdbEventStore, SqliteEventStore, checkpointToken, type LedgerCheckpoint } from '@ihl/event-store';

export interface CheckpointStoreSettings {
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
}

export interface CheckpointSettings extends CheckpointStoreSettings {
  /** LEDGER_CHECKPOINT_KEY_FILE's key; null when it is unset. */
  readonly key: KeyObject | null;
}

type CheckpointStore = SqliteEventStore | EsdbEventStore;

/** Its own connection: a running api may keep writing meanwhile. */
async function withStore<T>(s: CheckpointStoreSettings, use: (store: CheckpointStore) => Promise<T>): Promise<T> {
  const store = s.eventStoreConnectionString
    ? new EsdbEventStore({ connectionString: s.eventStoreConnectionString })
    : new SqliteEventStore({ file: join(s.dataDir, 'events.sqlite') });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** One line describing a checkpoint; on EventStoreDB `hash` is the digest of the heads that moved. */
function describe(c: LedgerCheckpoint): string {
  const what = c.esdb ? `heads ${c.hash} (${c.esdb.streams} streams moved)` : `chain ${c.hash}`;
  return `checkpoint: position ${c.position}, ${what}, taken ${c.takenAt}, key ${c.keyId}`;
}

/**
 * `ledger checkpoint`: signs the log's head now and prints it and its token (the line a file carries,
 * docs/tamper-evidence.md), on SQLite and on EventStoreDB alike. The checkpoint covers what was
 * committed when it was taken.
 */
export async function runCheckpoint(s: CheckpointSettings): Promise<string[]> {
  const key = s.key;
  if (!key) throw new Error('checkpoint: LEDGER_CHECKPOINT_KEY_FILE must name the Ed25519 private key (PEM)');
  return withStore(s, async (store) => {
    const c = await store.takeCheckpoint(key);
    if (c) return [describe(c), checkpointToken(c)];
    return [
      s.eventStoreConnectionString
        ? 'checkpoint: nothing to sign: the log is empty'
        : 'checkpoint: nothing to sign: the log is empty, or its last row has no chain hash (run ledger verify)',
    ];
  });
}

/** `ledger checkpoints`: every signed checkpoint, newest first, each line followed by its token. */
export async function runListCheckpoints(s: CheckpointStoreSettings): Promise<string[]> {
  return withStore(s, async (store) => {
    const all = await store.listCheckpoints();
    if (all.length === 0) return ['checkpoints: none signed yet (ledger checkpoint signs one)'];
    return all.reverse().flatMap((c) => [describe(c), checkpointToken(c)]);
  });
}
