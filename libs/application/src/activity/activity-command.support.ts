import {
  DomainNotFoundError,
  activityStreamId,
  datingContext,
  decideActivity,
  foldActivity,
  type ActivityCommand,
  type ActivityEvent,
  type ActivityState,
  type RegisteredProject,
} from '@ihl/domain';
import { Inject } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type StreamAppend } from '@ihl/event-store';
import { toDomainEvent } from '../shared/event-mapping';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import { loadProjectAt } from '../shared/project-context';
import type { RequestContext } from '../shared/request-context';
import { executeOnStream } from '../shared/stream-command';
import { vilniusDate } from '../shared/vilnius-date';
import type { WriteResult } from '../shared/write-result';

export interface WriteDeps {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * Every activity use case: decide on the record's stream in the project's dating context, read again
 * at each attempt and committed only if the project did not change meanwhile (a lock landing at the
 * same instant is seen, never passed). `alongside`: appends that commit with the record (its
 * recipient's profile).
 */
export async function runActivityCommand(
  deps: WriteDeps,
  ctx: RequestContext,
  projectCode: string,
  activityId: string,
  command: ActivityCommand,
  alongside?: () => Promise<StreamAppend | null>,
): Promise<WriteResult> {
  let project: RegisteredProject | undefined;
  return executeOnStream<ActivityState, ActivityEvent>(deps, ctx, {
    streamId: activityStreamId(activityId),
    fold: foldActivity,
    toDomain: toDomainEvent<ActivityEvent>,
    noopAnswer: command.type === 'RecordActivity' ? 'first' : 'last',
    before: async () => {
      const at = await loadProjectAt(deps.store, projectCode);
      project = at.project;
      return [at.condition];
    },
    guard: (state) => {
      // Another project's record, or another partner's, is not found here.
      if (state.status === 'none') return;
      if (state.projectCode !== projectCode) throw new DomainNotFoundError('no such activity');
      if (ctx.actor.role === 'partner-submitter' && ctx.actor.partnerId !== state.partnerId) {
        throw new DomainNotFoundError('no such activity');
      }
    },
    decide: (state) => {
      const partnerId =
        state.status !== 'none' ? state.partnerId : command.type === 'RecordActivity' ? command.partnerId : '';
      const today = vilniusDate(deps.clock.now());
      return decideActivity(state, command, ctx.actor, datingContext(project!, partnerId, today));
    },
    ...(alongside
      ? {
          alongside: async () => {
            const a = await alongside();
            return a ? [a] : [];
          },
        }
      : {}),
  });
}

/** Shared wiring of the lifecycle use cases (void, verify, reject, restatement decisions). */
export abstract class ActivityLifecycleHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(ID_GENERATOR) protected readonly ids: IdGenerator,
  ) {}

  protected run(
    ctx: RequestContext,
    projectCode: string,
    activityId: string,
    command: ActivityCommand,
  ): Promise<WriteResult> {
    return runActivityCommand(
      { store: this.store, clock: this.clock, ids: this.ids },
      ctx,
      projectCode,
      activityId,
      command,
    );
  }
}
