import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

export interface EventLogDigest {
  /** Events in the log up to `position`. */
  readonly events: number;
  /** The last position (0: empty). */
  readonly position: number;
  /** SHA-256 over every event's columns in position order: equal logs give equal digests. */
  readonly sha256: string;
}

const COLUMNS = 'position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at';

/**
 * Digests an embedded event-store file, up to `upTo` when given (a restore re-applies erasures after
 * the backup's last position, so it compares the prefix). Only the columns every version has are
 * read, so columns added later (e.g. a hash chain) do not change it.
 */
export function digestEventLog(file: string, upTo = Number.MAX_SAFE_INTEGER): EventLogDigest {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hash = createHash('sha256');
    let events = 0;
    let position = 0;
    const rows = db
      .prepare<[number], unknown[]>(`select ${COLUMNS} from events where position <= ? order by position`)
      .raw()
      .iterate(upTo);
    for (const row of rows) {
      hash.update(`${JSON.stringify(row)}\n`);
      events++;
      position = Number(row[0]);
    }
    return { events, position, sha256: hash.digest('hex') };
  } finally {
    db.close();
  }
}
