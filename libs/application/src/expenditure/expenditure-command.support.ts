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
import type { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/** Every expenditure use case: decided on the record's stream against the project's dating context and budget. */
export function writeExpenditure(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  expenditureId: string,
  command: ExpenditureCommand,
): Promise<WriteResult> {
  return writer.writeInProject<ExpenditureState, ExpenditureEvent>(ctx, projectCode, ({ project, today }) => ({
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
  }));
}
