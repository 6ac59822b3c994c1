import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { importStreamId, type ImportCompleted } from '@ihl/domain';
import { EVENT_STORE, WrongExpectedRevisionError, type EventStore } from '@ihl/event-store';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import { eventMetadata, type RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';

/** Records a finished file import on its own stream, `import-<id>`: once, however often it is redone. */
export class RecordImportCommand {
  constructor(
    readonly summary: ImportCompleted['data'],
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RecordImportCommand)
export class RecordImportHandler implements ICommandHandler<RecordImportCommand, WriteResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(c: RecordImportCommand): Promise<WriteResult> {
    const streamId = importStreamId(c.summary.importId);
    const event: ImportCompleted = { type: 'ImportCompleted', data: c.summary };
    const ctx: RequestContext = { ...c.context, importId: c.summary.importId };
    const eventId = this.ids.newId();
    try {
      const r = await this.store.append(
        streamId,
        [{ eventId, ...event, metadata: eventMetadata(ctx, eventId, this.clock.now()) }],
        'no_stream',
      );
      return { streamId, revision: r.revision, position: r.position, changed: true };
    } catch (e) {
      // An import redone after its worker died after recording it: the first record stands.
      if (!(e instanceof WrongExpectedRevisionError)) throw e;
      const [first] = await this.store.readStream(streamId);
      return { streamId, revision: 0, position: first?.position ?? 0, changed: false };
    }
  }
}
