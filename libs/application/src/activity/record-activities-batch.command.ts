import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  DomainConflictError,
  DomainValidationError,
  activityStreamId,
  datingContext,
  decideActivity,
  foldActivity,
  type ActivityEvent,
  type ValidationIssue,
} from '@ihl/domain';
import { EVENT_STORE, WrongExpectedRevisionError, type EventStore, type StreamAppend } from '@ihl/event-store';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import { resolveActivityInput, type ActivityInput, type ResolvedActivity } from '../person/resolve-recipient';
import { keyedRecordId } from '../shared/deterministic-id';
import { toDomainEvent } from '../shared/event-mapping';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import { loadProjectAt } from '../shared/project-context';
import type { RequestContext } from '../shared/request-context';
import { MAX_CONFLICT_RETRIES, newEvents, pause } from '../shared/stream-command';
import { vilniusDate } from '../shared/vilnius-date';
import type { WriteResult } from '../shared/write-result';
import { personProfileAppend, type RecipientProfile } from '../person/record-person-profile';

export const MAX_BATCH_RECORDS = 500;

export interface BatchItem {
  readonly input: ActivityInput;
  readonly activityId?: string;
}

/** Several records of one partner as one unit: every record is accepted or none is written. */
export class RecordActivitiesBatchCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly items: readonly BatchItem[],
    readonly context: RequestContext,
  ) {}
}

export type BatchResult = (WriteResult & { activityId: string })[];

@CommandHandler(RecordActivitiesBatchCommand)
export class RecordActivitiesBatchHandler implements ICommandHandler<RecordActivitiesBatchCommand, BatchResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  async execute(c: RecordActivitiesBatchCommand): Promise<BatchResult> {
    if (c.items.length === 0 || c.items.length > MAX_BATCH_RECORDS) {
      throw new DomainValidationError([
        { field: 'records', rule: 'batch-size', message: `must hold 1-${MAX_BATCH_RECORDS} records` },
      ]);
    }
    // Decided again from scratch when the project (a lock) or a recipient's stream moved meanwhile.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(c);
      } catch (e) {
        if (!(e instanceof WrongExpectedRevisionError) || attempt >= MAX_CONFLICT_RETRIES) throw e;
        await pause(attempt);
      }
    }
  }

  private async attempt(c: RecordActivitiesBatchCommand): Promise<BatchResult> {
    const { project, condition } = await loadProjectAt(this.store, c.projectCode);
    const now = this.clock.now();
    const ctx = datingContext(project, c.partnerId, vilniusDate(now));
    const key = c.context.idempotencyKey;
    const issues: ValidationIssue[] = [];
    const answers: (BatchResult[number] | null)[] = [];
    // Events get their metadata (and so the request's fingerprint, which creates recipients' keys)
    // only once every record is accepted: a refused batch leaves no trace of its persons.
    const decided: { streamId: string; expectedRevision: StreamAppend['expectedRevision']; events: ActivityEvent[] }[] =
      [];
    const recipients: ResolvedActivity['person'][] = [];
    const deps = { store: this.store, clock: this.clock, ids: this.ids };
    const seen = new Set<string>();

    for (const [i, item] of c.items.entries()) {
      const activityId =
        item.activityId ??
        (key
          ? await keyedRecordId(this.store, {
              scope: `activity:${c.projectCode}:${c.partnerId}`,
              derivedFrom: `${key}#${i}`,
              idempotencyKey: key,
              streamOf: activityStreamId,
            })
          : this.ids.newId());
      const at = `records[${i}]`;
      if (seen.has(activityId)) {
        issues.push({
          field: `${at}.activityId`,
          rule: 'unique-in-batch',
          message: 'appears twice in this batch',
          value: activityId,
        });
        answers.push(null);
        continue;
      }
      seen.add(activityId);
      try {
        const resolved = resolveActivityInput(this.persons, item.input);
        const stored = await this.store.readStream(activityStreamId(activityId));
        const state = foldActivity(stored.map((e) => toDomainEvent<ActivityEvent>(e)));
        if (state.status !== 'none' && state.projectCode !== c.projectCode) {
          throw new DomainConflictError(
            'activity-id-taken',
            `${at}: activity ${activityId} already exists with other values`,
          );
        }
        const events = decideActivity(
          state,
          {
            type: 'RecordActivity',
            activityId,
            projectCode: c.projectCode,
            partnerId: c.partnerId,
            fields: resolved.fields,
            ...(resolved.recipientAgeYears !== undefined ? { recipientAgeYears: resolved.recipientAgeYears } : {}),
          },
          c.context.actor,
          ctx,
        );
        if (events.length === 0) {
          // Recorded before with the same values: answered as the first time.
          const first = stored[0]!;
          answers.push({
            activityId,
            streamId: first.streamId,
            revision: first.revision,
            position: first.position,
            changed: false,
          });
          continue;
        }
        answers.push(null);
        recipients.push(resolved.person);
        decided.push({
          streamId: activityStreamId(activityId),
          expectedRevision: state.status === 'none' ? 'no_stream' : stored[stored.length - 1]!.revision,
          events,
        });
      } catch (e) {
        if (e instanceof DomainValidationError) {
          issues.push(...e.issues.map((x) => ({ ...x, field: `${at}.${x.field}` })));
          answers.push(null);
          continue;
        }
        if (e instanceof DomainConflictError)
          throw new DomainConflictError(e.code, e.message.startsWith(at) ? e.message : `${at}: ${e.message}`);
        throw e;
      }
    }
    if (issues.length > 0) throw new DomainValidationError(issues);

    // The recipients' profiles commit with the records, first (see executeOnStream), one append per
    // person: what a batch sends of one person is merged in its order.
    const profiles = new Map<string, RecipientProfile>();
    for (const p of recipients) {
      if (!p?.profile) continue;
      const before = profiles.get(p.pseudonym);
      profiles.set(p.pseudonym, { ...p, profile: { ...before?.profile, ...p.profile } });
    }
    const profileAppends: StreamAppend[] = [];
    for (const p of profiles.values()) {
      const a = await personProfileAppend(deps, this.persons, c.context, p);
      if (a) profileAppends.push(a);
    }
    const appends: StreamAppend[] = decided.map((d) => ({ ...d, events: newEvents(deps, c.context, d.events) }));
    const written =
      appends.length > 0
        ? (await this.store.appendMany([...profileAppends, ...appends], [condition])).slice(profileAppends.length)
        : [];
    let w = 0;
    const result: BatchResult = answers.map((a) => {
      if (a) return a;
      const r = written[w++]!;
      return {
        activityId: r.streamId.slice('activity-'.length),
        streamId: r.streamId,
        revision: r.revision,
        position: r.position,
        changed: true,
      };
    });
    return result;
  }
}
