import type { KeyObject } from 'node:crypto';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { verifyCheckpointSignature, readCheckpoints, type Checkpoint } from './checkpoint.signer';
import { EVENT_COLUMNS, type EventRow } from './event-row.mapping';
import { GENESIS_HASH, chainStep, formatTwoFrom } from './hash-chain';
import { ChainInputError } from './row-chain-hash';

export type ChainFaultKind = 'altered' | 'missing' | 'inserted' | 'reordered' | 'checkpoint';

/** The first thing found wrong, in log order. */
export interface ChainFault {
  readonly position: number;
  readonly kind: ChainFaultKind;
  readonly detail: string;
}

export interface ChainVerification {
  readonly ok: boolean;
  /** Events walked (up to `upTo` when given). */
  readonly events: number;
  readonly head: number;
  /** The recomputed chain hash at the last event walked (hex). */
  readonly headHash: string;
  readonly checkpoints: number;
  /** False when no public key was given: the checkpoints' hashes were compared, their signatures not. */
  readonly signaturesChecked: boolean;
  readonly fault: ChainFault | null;
}

export interface VerifyOptions {
  /** Checks every checkpoint's signature (and any `expect`ed one's). */
  readonly publicKey?: KeyObject;
  /** Walks only the prefix up to this position (a report's checkpoint). */
  readonly upTo?: number;
  /** A checkpoint from outside the file (a report's): its position's chain hash must match it. */
  readonly expect?: Checkpoint;
}

type HashedRow = [...EventRow, Buffer | null];

/** How far after an event whose hash does not match we look for the event that belongs there. */
const MOVED_WINDOW = 1000;

/** The text columns of an EventRow, and the same columns' stored bytes. */
const TEXT_COLUMNS = [1, 3, 4, 6, 7, 8] as const;
const STORED_TEXT =
  'select cast(stream_id as blob), cast(event_id as blob), cast(type as blob), cast(data as blob), cast(metadata as blob), cast(recorded_at as blob) from events where position = ?';

/**
 * Walks the log of an events.sqlite file in position order, on its own read-only connection and one
 * read snapshot, recomputing the chain; stops at the first fault: a position gap (missing), a row
 * without a hash (inserted by something other than the ledger), a stream revision out of order or a
 * row that belongs elsewhere (reordered), a hash that does not match (altered), or a checkpoint whose
 * hash or signature does not match (the chain was recomputed after an alteration, or forged).
 */
export function verifyEventLog(file: string, options: VerifyOptions = {}): ChainVerification {
  if (!existsSync(file)) throw new Error(`no event store at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => new LogWalk(db, options).run())();
  } finally {
    db.close();
  }
}

class LogWalk {
  private readonly page;
  private readonly window;
  private readonly revisionAt;
  private readonly storedText;
  private readonly checkpoints: Checkpoint[];
  private readonly revisions = new Map<string, number>();
  /** Rows from this position on are chained in format 2, older ones in format 1. */
  private readonly v2From: number;
  private prev = GENESIS_HASH;
  private expected = 1;
  private walked = 0;

  constructor(
    db: Database.Database,
    private readonly options: VerifyOptions,
  ) {
    const select = `select ${EVENT_COLUMNS}, hash from events where position > ? order by position limit ?`;
    this.page = db.prepare<[number, number], HashedRow>(select).raw(true);
    this.window = db.prepare<[number, number], HashedRow>(select).raw(true);
    this.revisionAt = db
      .prepare<[string, number], number>('select position from events where stream_id = ? and revision = ?')
      .pluck();
    this.storedText = db.prepare<[number], Buffer[]>(STORED_TEXT).raw(true);
    this.v2From = formatTwoFrom(db);
    const stored = readCheckpoints(db).filter((c) => options.upTo === undefined || c.position <= options.upTo);
    this.checkpoints = options.expect ? [...stored, options.expect].sort((a, b) => a.position - b.position) : stored;
  }

  run(): ChainVerification {
    const upTo = this.options.upTo ?? Number.MAX_SAFE_INTEGER;
    let cp = 0;
    for (let after = 0; after < upTo;) {
      const rows = this.page.all(after, Math.min(10_000, upTo - after));
      if (rows.length === 0) break;
      for (const row of rows) {
        const fault = this.step(row);
        if (fault) return this.result(fault);
        for (; cp < this.checkpoints.length && this.checkpoints[cp]!.position === row[0]; cp++) {
          const bad = this.checkCheckpoint(this.checkpoints[cp]!);
          if (bad) return this.result(bad);
        }
      }
      after = rows[rows.length - 1]![0];
    }
    const beyond = this.checkpoints[cp];
    if (beyond) {
      const detail = `the log ends at position ${this.expected - 1}, but a checkpoint signed position ${beyond.position} at ${beyond.takenAt}: events were removed from the end`;
      return this.result({ position: this.expected, kind: 'missing', detail });
    }
    return this.result(null);
  }

  private step(row: HashedRow): ChainFault | null {
    const position = row[0];
    if (position !== this.expected) {
      return {
        position: this.expected,
        kind: 'missing',
        detail: `no event at position ${this.expected} (the next is at ${position})`,
      };
    }
    const stored = row[9];
    if (!stored) return { position, kind: 'inserted', detail: 'a row without a chain hash: not written by the ledger' };
    const revisionFault = this.checkRevision(row);
    if (revisionFault) return revisionFault;
    if (this.hidesBytes(row)) {
      return { position, kind: 'altered', detail: 'a text column holds bytes that are not UTF-8: the row was changed' };
    }
    const hash = this.hashOf(row.slice(0, 9) as EventRow);
    if (!hash) return { position, kind: 'altered', detail: 'a column holds a value of a type the ledger never writes' };
    if (!hash.equals(stored)) return this.mismatch(position, stored);
    this.prev = hash;
    this.expected += 1;
    this.walked += 1;
    return null;
  }

  private checkRevision(row: HashedRow): ChainFault | null {
    const [position, stream, revision] = row;
    const want = (this.revisions.get(stream) ?? -1) + 1;
    if (revision === want) {
      this.revisions.set(stream, revision);
      return null;
    }
    const at = this.revisionAt.get(stream, want);
    const detail = `revision ${revision} of stream ${stream} where revision ${want} was due`;
    if (at !== undefined && at > position) {
      return { position, kind: 'reordered', detail: `${detail} (stored later, at position ${at})` };
    }
    return { position, kind: revision < want ? 'reordered' : 'missing', detail };
  }

  /**
   * SQLite hands text over decoded, each run of bytes that is not UTF-8 as U+FFFD: a stored U+FFFD
   * swapped for such bytes reads as the same text, so it hashes the same. Only a text holding U+FFFD
   * can hide that, so only then are its stored bytes read and compared with the text's UTF-8.
   */
  private hidesBytes(row: HashedRow): boolean {
    const texts = TEXT_COLUMNS.map((i) => row[i]);
    if (!texts.some((t) => typeof t === 'string' && t.includes('\ufffd'))) return false;
    const stored = this.storedText.get(row[0]) ?? [];
    return texts.some((t, k) => typeof t === 'string' && !Buffer.from(t, 'utf8').equals(stored[k] ?? Buffer.alloc(0)));
  }

  /** Tells a row moved from elsewhere (its content chains here from a later position) from an altered one. */
  private mismatch(position: number, stored: Buffer): ChainFault {
    for (const other of this.window.all(position, MOVED_WINDOW)) {
      const here = this.hashOf([position, ...other.slice(1, 9)] as EventRow);
      if (here && (here.equals(stored) || (other[9] && here.equals(other[9])))) {
        const detail = `the event that belongs at position ${position} is stored at position ${other[0]}`;
        return { position, kind: 'reordered', detail };
      }
    }
    return { position, kind: 'altered', detail: 'its content does not match its chain hash: the row was changed' };
  }

  /** Null for a row that cannot be the ledger's (format 2 hashes only the column types it writes). */
  private hashOf(row: EventRow): Buffer | null {
    try {
      return chainStep(this.prev, row, this.v2From);
    } catch (e) {
      if (e instanceof ChainInputError) return null;
      throw e;
    }
  }

  private checkCheckpoint(c: Checkpoint): ChainFault | null {
    const at = `checkpoint of ${c.takenAt} (position ${c.position})`;
    if (this.options.publicKey && !verifyCheckpointSignature(c, this.options.publicKey)) {
      return { position: c.position, kind: 'checkpoint', detail: `${at}: the signature does not match` };
    }
    if (this.prev.toString('hex') !== c.hash) {
      const detail = `${at}: the chain recomputed from the log differs from the signed hash: an event at or before it was changed, removed or inserted and the hashes rewritten`;
      return { position: c.position, kind: 'checkpoint', detail };
    }
    return null;
  }

  private result(fault: ChainFault | null): ChainVerification {
    return {
      ok: fault === null,
      events: this.walked,
      head: this.expected - 1,
      headHash: this.prev.toString('hex'),
      checkpoints: this.checkpoints.length,
      signaturesChecked: this.options.publicKey !== undefined,
      fault,
    };
  }
}
