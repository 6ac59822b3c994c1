import type { RequestContext } from './request-context';
import type { StreamWriter } from './stream-writer';
import type { DomainEvent } from './stream-command';

/** A late entry as the answer of its creation says it: the period it is reported in, and its own date. */
export interface LateEntryAnswer {
  readonly lateEntry?: { readonly reportedIn: string; readonly occurredOn: string };
}

/**
 * Whether the record just created on `streamId` is a late entry, from its creation event (read back,
 * so a replayed request answers the same): one indexed read beside the write. `created`: the creation
 * event this request wrote, when it wrote one; then nothing is read.
 */
export async function lateEntryAnswer(
  writer: StreamWriter,
  ctx: RequestContext,
  streamId: string,
  created?: DomainEvent,
): Promise<LateEntryAnswer> {
  if (created) return lateEntryOf(created.data);
  const { events } = await writer.read<DomainEvent>(streamId, ctx.dryRun);
  return lateEntryOf(events[0]?.data);
}

function lateEntryOf(data: unknown): LateEntryAnswer {
  if (typeof data !== 'object' || data === null || !('reportedIn' in data) || !('fields' in data)) return {};
  const { reportedIn, fields } = data;
  const occurredOn =
    typeof fields === 'object' && fields !== null && 'occurredOn' in fields ? fields.occurredOn : undefined;
  return typeof reportedIn === 'string' && typeof occurredOn === 'string'
    ? { lateEntry: { reportedIn, occurredOn } }
    : {};
}
