import {
  datingContext,
  decideExpenditure,
  expenditureStreamId,
  foldExpenditure,
  type ExpenditureCommand,
  type ExpenditureEvent,
  type ExpenditureState,
} from '@ihl/domain';
import { datingPartner, partnerScope } from '../shared/record-scope';
import type { RequestContext } from '../shared/request-context';
import type { ProjectScope, StreamWriter } from '../shared/stream-writer';
import type { StreamSpec } from '../shared/stream-command';
import type { WriteResult } from '../shared/write-result';

/** Every expenditure use case: decided on the record's stream against the project's dating context and budget. */
export function writeExpenditure(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  expenditureId: string,
  command: ExpenditureCommand,
): Promise<WriteResult> {
  return writer.writeInProject<ExpenditureState, ExpenditureEvent>(ctx, projectCode, (scope) =>
    expenditureSpec(ctx, projectCode, expenditureId, command, scope),
  );
}

/** The expenditure's stream spec for one attempt (the project as read at that attempt). */
export function expenditureSpec(
  ctx: RequestContext,
  projectCode: string,
  expenditureId: string,
  command: ExpenditureCommand,
  { project, today }: ProjectScope,
): StreamSpec<ExpenditureState, ExpenditureEvent> {
  return {
    streamId: expenditureStreamId(expenditureId),
    fold: foldExpenditure,
    noopAnswer: command.type === 'DeclareExpenditure' ? 'first' : 'last',
    guard: partnerScope(ctx, projectCode, 'expenditure'),
    decide: (state) => {
      const partnerId = datingPartner(state, command.type === 'DeclareExpenditure' ? command.partnerId : undefined);
      return decideExpenditure(state, command, ctx.actor, datingContext(project, partnerId, today()), {
        categories: project.definition.budgetCategories.map((c) => c.id),
        envelopeCents: project.definition.envelopeCents,
      });
    },
  };
}
