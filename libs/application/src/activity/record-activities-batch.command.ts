import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  DomainConflictError,
  DomainValidationError,
  type ActivityEvent,
  type ActivityState,
  type ValidationIssue,
} from '@ihl/domain';
import type { AppendResult, StreamAppend } from '@ihl/event-store';
import { PERSON_REGISTRY, type PersonRegistry } from '../person/person-registry.port';
import { personProfileAppend, type RecipientProfile } from '../person/record-person-profile';
import { resolveActivityInput, type ActivityInput, type ResolvedActivity } from '../person/resolve-recipient';
import type { RequestContext } from '../shared/request-context';
import type { StreamDecision } from '../shared/stream-command';
import { StreamWriter, type ProjectScope } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { activityIdFor, activitySpec, recordActivityCommand } from './activity-command.support';

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

/** What one record of the batch came to, with the recipient whose profile commits with it. */
interface Decided {
  readonly activityId: string;
  readonly decision: StreamDecision<ActivityState, ActivityEvent>;
  readonly person: ResolvedActivity['person'];
}

@CommandHandler(RecordActivitiesBatchCommand)
export class RecordActivitiesBatchHandler implements ICommandHandler<RecordActivitiesBatchCommand, BatchResult> {
  constructor(
    @Inject(StreamWriter) private readonly writer: StreamWriter,
    @Inject(PERSON_REGISTRY) private readonly persons: PersonRegistry,
  ) {}

  async execute(c: RecordActivitiesBatchCommand): Promise<BatchResult> {
    if (c.items.length === 0 || c.items.length > MAX_BATCH_RECORDS) {
      throw new DomainValidationError([
        { field: 'records', rule: 'batch-size', message: `must hold 1-${MAX_BATCH_RECORDS} records` },
      ]);
    }
    return this.writer.writeManyInProject(c.context, c.projectCode, async (scope) => {
      const records = await this.decideAll(c, scope);
      return {
        pending: records.flatMap((r) => ('pending' in r.decision ? [r.decision.pending] : [])),
        alongside: () => this.profiles(c.context, records),
        answer: (written) => answers(records, written),
      };
    });
  }

  /** Every record decided, or a DomainValidationError naming each refused one by its index. */
  private async decideAll(c: RecordActivitiesBatchCommand, scope: ProjectScope): Promise<Decided[]> {
    const issues: ValidationIssue[] = [];
    const records: Decided[] = [];
    const seen = new Set<string>();
    for (const [i, item] of c.items.entries()) {
      const activityId = await activityIdFor(this.writer, c.context, {
        projectCode: c.projectCode,
        partnerId: c.partnerId,
        given: item.activityId,
        index: i,
      });
      const at = `records[${i}]`;
      if (seen.has(activityId)) {
        issues.push({
          field: `${at}.activityId`,
          rule: 'unique-in-batch',
          message: 'appears twice in this batch',
          value: activityId,
        });
        continue;
      }
      seen.add(activityId);
      try {
        records.push(await this.decideOne(c, scope, item, activityId, at));
      } catch (e) {
        issues.push(...issuesAt(e, at));
      }
    }
    if (issues.length > 0) throw new DomainValidationError(issues);
    return records;
  }

  /** A record recorded before with the same values is answered as the first time (its retry). */
  private async decideOne(
    c: RecordActivitiesBatchCommand,
    scope: ProjectScope,
    item: BatchItem,
    activityId: string,
    at: string,
  ): Promise<Decided> {
    const resolved = resolveActivityInput(this.persons, item.input);
    const command = recordActivityCommand(c.projectCode, c.partnerId, activityId, resolved);
    const spec = activitySpec(scope, c.context, c.projectCode, activityId, command);
    // A batch names its records itself: one already in another project is a clash, not "not found".
    const guard = (state: ActivityState): void => {
      if (state.status !== 'none' && state.projectCode !== c.projectCode) {
        throw new DomainConflictError(
          'activity-id-taken',
          `${at}: activity ${activityId} already exists with other values`,
        );
      }
    };
    // No Idempotency-Key replay per record: a retried batch finds its records by their derived ids.
    const decision = await this.writer.decideOn(
      { ...spec, guard },
      c.context.dryRun ? { dryRun: c.context.dryRun } : {},
    );
    return { activityId, decision, person: resolved.person };
  }

  /** The recipients' profiles, one append per person: what a batch sends of one person is merged in its order. */
  private async profiles(ctx: RequestContext, records: readonly Decided[]): Promise<StreamAppend[]> {
    const merged = new Map<string, RecipientProfile>();
    for (const { decision, person: p } of records) {
      if (!('pending' in decision) || !p?.profile) continue;
      const before = merged.get(p.pseudonym);
      merged.set(p.pseudonym, { ...p, profile: { ...before?.profile, ...p.profile } });
    }
    const appends: StreamAppend[] = [];
    for (const p of merged.values()) {
      const a = await personProfileAppend(this.writer, this.persons, ctx, p);
      if (a) appends.push(a);
    }
    return appends;
  }
}

/** A refused record's validation issues, named by its index; a conflict names it in its message. */
function issuesAt(e: unknown, at: string): ValidationIssue[] {
  if (e instanceof DomainValidationError) return e.issues.map((x) => ({ ...x, field: `${at}.${x.field}` }));
  if (e instanceof DomainConflictError)
    throw new DomainConflictError(e.code, e.message.startsWith(at) ? e.message : `${at}: ${e.message}`);
  throw e;
}

/** Each record's answer, in the batch's order: what was written for it, or what it already was. */
function answers(records: readonly Decided[], written: readonly AppendResult[]): BatchResult {
  let w = 0;
  return records.map(({ activityId, decision }) => {
    if ('answer' in decision) return { activityId, ...decision.answer };
    const r = written[w++]!;
    return { activityId, streamId: r.streamId, revision: r.revision, position: r.position, changed: true };
  });
}
