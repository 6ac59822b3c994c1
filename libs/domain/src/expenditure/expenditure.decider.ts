import type { DatingContext } from '../activity/activity-validation';
import type { ActivityActor } from '../activity/activity.state';
import {
  decideCorrectExpenditure,
  decideDeclareExpenditure,
  decideVerifyExpenditure,
  decideVoidExpenditure,
} from './expenditure-commands.decider';
import { decideLinkEquipment } from './equipment-link.decider';
import type { ExpenditureBudget } from './expenditure-validation';
import type { ExpenditureEvent } from './expenditure.events';
import type { ExpenditureCommand, ExpenditureState } from './expenditure.state';

// State, commands and evolve live in expenditure.state.ts, the field rules in expenditure-validation.ts;
// they are exported from here too so that `expenditure.decider` stays the one module to import from.
export * from './expenditure.state';
export * from './expenditure-validation';
export * from './expenditure-commands.decider';
export * from './verification-codes';
export { equipmentLinkMarker } from './equipment-link.decider';
export * from './linked-equipment-change.decider';

/** The life of one expenditure record; one function per command in expenditure-commands.decider.ts. */
export function decideExpenditure(
  state: ExpenditureState,
  command: ExpenditureCommand,
  actor: ActivityActor,
  ctx: DatingContext,
  budget: ExpenditureBudget,
): ExpenditureEvent[] {
  switch (command.type) {
    case 'DeclareExpenditure':
      return decideDeclareExpenditure(state, command, actor, ctx, budget);
    case 'CorrectExpenditure':
      return decideCorrectExpenditure(state, command, actor, ctx, budget);
    case 'VoidExpenditure':
      return decideVoidExpenditure(state, command, actor, ctx);
    case 'VerifyExpenditure':
      return decideVerifyExpenditure(state, command, actor);
    case 'LinkEquipment':
      return decideLinkEquipment(state, command, actor);
  }
}
