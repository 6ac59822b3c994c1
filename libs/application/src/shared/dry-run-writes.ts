import type { AppendResult, StoredEvent, StreamAppend } from '@ihl/event-store';

/**
 * A dry run's appends: decided exactly as a write is, then kept here instead of the store, so that
 * later decisions of the same run (a record the file names twice, chunks apart) see them as a real
 * run would. Nothing here reaches the store, and the recipients' profiles (whose sealing creates
 * person keys) are never decided in a dry run, since no record decision depends on them.
 */
export class DryRunWrites {
  private readonly streams = new Map<string, StoredEvent[]>();

  /** What this run "appended" to a stream, after what the store holds. */
  eventsOf(streamId: string): readonly StoredEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  /** Numbered on from the revision each append was decided at; no global position (-1). */
  append(appends: readonly StreamAppend[]): AppendResult[] {
    return appends.map((a) => {
      const kept = this.streams.get(a.streamId) ?? [];
      let revision = typeof a.expectedRevision === 'number' ? a.expectedRevision : -1;
      for (const e of a.events) {
        revision++;
        const metadata = e.metadata ?? {};
        const recordedAt = typeof metadata.recordedAt === 'string' ? metadata.recordedAt : '';
        const schemaVersion = e.schemaVersion ?? 1;
        kept.push({ ...e, schemaVersion, metadata, streamId: a.streamId, revision, position: -1, recordedAt });
      }
      this.streams.set(a.streamId, kept);
      return { streamId: a.streamId, revision, position: -1 };
    });
  }
}
