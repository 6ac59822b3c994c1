import { Inject } from '@nestjs/common';
import {
  datingContext,
  decideExpenditure,
  DomainNotFoundError,
  expenditureStreamId,
  foldExpenditure,
  type ExpenditureCommand,
  type ExpenditureEvent,
  type ExpenditureState,
  type RegisteredProject,
} from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { toDomainEvent } from '../shared/event-mapping';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import { loadProjectAt } from '../shared/project-context';
import type { RequestContext } from '../shared/request-context';
import { executeOnStream } from '../shared/stream-command';
import { vilniusDate } from '../shared/vilnius-date';
import type { WriteResult } from '../shared/write-result';

/** Shared wiring of the expenditure use cases: project context, then decide on the record's stream. */
export abstract class ExpenditureHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(ID_GENERATOR) protected readonly ids: IdGenerator,
  ) {}

  protected async run(
    ctx: RequestContext,
    projectCode: string,
    expenditureId: string,
    command: ExpenditureCommand,
  ): Promise<WriteResult> {
    // Read again at each attempt; the write commits only if the project (a lock) did not change meanwhile.
    let project: RegisteredProject | undefined;
    return executeOnStream<ExpenditureState, ExpenditureEvent>(
      { store: this.store, clock: this.clock, ids: this.ids },
      ctx,
      {
        streamId: expenditureStreamId(expenditureId),
        fold: foldExpenditure,
        toDomain: toDomainEvent<ExpenditureEvent>,
        noopAnswer: command.type === 'DeclareExpenditure' ? 'first' : 'last',
        before: async () => {
          const at = await loadProjectAt(this.store, projectCode);
          project = at.project;
          return [at.condition];
        },
        guard: (state) => {
          if (state.status === 'none') return;
          if (state.projectCode !== projectCode) throw new DomainNotFoundError('no such expenditure');
          if (ctx.actor.role === 'partner-submitter' && ctx.actor.partnerId !== state.partnerId) {
            throw new DomainNotFoundError('no such expenditure');
          }
        },
        decide: (state) => {
          const partnerId =
            state.status !== 'none' ? state.partnerId : command.type === 'DeclareExpenditure' ? command.partnerId : '';
          return decideExpenditure(
            state,
            command,
            ctx.actor,
            datingContext(project!, partnerId, vilniusDate(this.clock.now())),
            {
              categories: project!.definition.budgetCategories.map((c) => c.id),
              envelopeCents: project!.definition.envelopeCents,
            },
          );
        },
      },
    );
  }
}
