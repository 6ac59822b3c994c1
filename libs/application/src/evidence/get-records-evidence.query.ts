import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { evidenceStreamOf, type EvidenceFile, type EvidenceRecordKind } from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { toEvidenceEntries } from './evidence-entries';
import { recordStreamOf } from './attach-evidence.command';

/**
 * What files are attached to records a list already shows (so already scoped to the caller), as
 * they stood at the list's position: an export that asked `withEvidence=true` names them.
 */
export class GetRecordsEvidenceQuery {
  constructor(
    readonly kind: EvidenceRecordKind,
    readonly recordIds: readonly string[],
    readonly upToPosition: number,
  ) {}
}

/** Record id → its files (hash, size, type, name), only for records that have any. */
export type RecordsEvidence = ReadonlyMap<string, readonly EvidenceFile[]>;

@QueryHandler(GetRecordsEvidenceQuery)
export class GetRecordsEvidenceHandler implements IQueryHandler<GetRecordsEvidenceQuery, RecordsEvidence> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(q: GetRecordsEvidenceQuery): Promise<RecordsEvidence> {
    const found = new Map<string, EvidenceFile[]>();
    for (const id of q.recordIds) {
      const stored = await this.store.readStream(evidenceStreamOf(recordStreamOf(q.kind, id)));
      const files = toEvidenceEntries(stored.filter((e) => e.position <= q.upToPosition)).map(
        ({ sha256, sizeBytes, mediaType, name }) => ({ sha256, sizeBytes, mediaType, name }),
      );
      if (files.length > 0) found.set(id, files);
    }
    return found;
  }
}
