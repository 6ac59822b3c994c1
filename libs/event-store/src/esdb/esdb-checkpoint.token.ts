import type { LedgerCheckpoint } from '../event-store.port';

/**
 * The one-line token of an EventStoreDB checkpoint: every signed field (esdbCheckpointMessage), so
 * that the signature checks from the token alone, then the checkpoint is found in `$ihl-checkpoints`
 * by its position. Its own prefix: SQLite's token (IHL-CHECKPOINT/1) never matches it, nor it that.
 */
const PREFIX = 'IHL-ESDB-CHECKPOINT/1';
const TOKEN =
  /IHL-ESDB-CHECKPOINT\/1:(\d+):([0-9a-f]{64}):(\d+):([0-9a-f]{64}):([0-9T:.Z-]{24}):([0-9a-f]{16}):([A-Za-z0-9+/]{86}==)/;

export function esdbCheckpointToken(c: LedgerCheckpoint & { esdb: NonNullable<LedgerCheckpoint['esdb']> }): string {
  const { position, hash, takenAt, keyId, signature, esdb } = c;
  return `${PREFIX}:${position}:${hash}:${esdb.streams}:${esdb.previous}:${takenAt}:${keyId}:${signature}`;
}

/** The first EventStoreDB checkpoint token in a text (null: none); the signature is not checked here. */
export function findEsdbCheckpointToken(text: string): LedgerCheckpoint | null {
  const m = TOKEN.exec(text);
  if (!m) return null;
  return {
    position: Number(m[1]),
    hash: m[2]!,
    esdb: { streams: Number(m[3]), previous: m[4]! },
    takenAt: m[5]!,
    keyId: m[6]!,
    signature: m[7]!,
  };
}
