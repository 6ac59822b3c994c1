import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  activityStreamId,
  equipmentLinkMarker,
  expenditureStreamId,
  foldExpenditure,
  foldActivity,
  type ActivityEvent,
  type EquipmentFacts,
  type ExpenditureEvent,
  type ExpenditureState,
} from '@ihl/domain';
import type { StreamCondition } from '@ihl/event-store';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { expenditureSpec } from './expenditure-command.support';

const unmarked = ({ linkedTo: _marker, ...facts }: EquipmentFacts): EquipmentFacts => facts;

/** The declaring partner links an equipment record to the expenditure that paid for it. */
export class LinkEquipmentCommand {
  constructor(
    readonly projectCode: string,
    readonly expenditureId: string,
    readonly activityId: string,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(LinkEquipmentCommand)
export class LinkEquipmentHandler implements ICommandHandler<LinkEquipmentCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: LinkEquipmentCommand): Promise<WriteResult> {
    // The equipment record is read at each attempt and its revision is a condition of the commit:
    // a correction or void of it landing meanwhile makes the link be decided again on what it is now.
    // A link also leaves its marker on the record's stream (at that revision, so the same check),
    // by which the record's later corrections and void are decided with this expenditure.
    return this.writer.writeInProject<ExpenditureState, ExpenditureEvent>(c.context, c.projectCode, async (scope) => {
      const streamId = activityStreamId(c.activityId);
      const { stored, events } = await this.writer.read<ActivityEvent>(streamId, c.context.dryRun);
      const facts = this.factsOf(c, events);
      const held = await this.heldBy(c, facts);
      const equipment = facts && {
        ...unmarked(facts),
        ...(held.linkedTo !== undefined ? { linkedTo: held.linkedTo } : {}),
      };
      const command = { type: 'LinkEquipment' as const, activityId: c.activityId, equipment };
      const last = stored[stored.length - 1];
      const expectedRevision = last ? last.revision : ('no_stream' as const);
      return {
        ...expenditureSpec(c.context, c.projectCode, c.expenditureId, command, scope),
        conditions: [{ streamId, expectedRevision }, ...held.conditions],
        alongside: async (_state, decided) => {
          const markers = decided.map(equipmentLinkMarker).filter((m) => m !== null);
          return markers.length === 0
            ? []
            : [this.writer.toAppend(c.context, { streamId, expectedRevision, decided: markers })];
        },
      };
    });
  }

  private factsOf(c: LinkEquipmentCommand, events: readonly ActivityEvent[]): EquipmentFacts | null {
    const state = foldActivity(events);
    return state.status === 'none' || state.projectCode !== c.projectCode
      ? null
      : {
          activityId: state.activityId,
          partnerId: state.partnerId,
          kind: state.fields.kind,
          totalCents: state.fields.kind === 'equipment-procured' ? state.fields.totalCents : 0,
          voided: state.status === 'voided',
          ...(state.linkedExpenditureId !== undefined ? { linkedTo: state.linkedExpenditureId } : {}),
        };
  }

  /**
   * Whether another expenditure still holds the record (its marker names it): one that was voided
   * pays for nothing, so the record may be linked anew (the new marker then names the new one).
   * That expenditure's revision is a condition of the commit.
   */
  private async heldBy(
    c: LinkEquipmentCommand,
    facts: EquipmentFacts | null,
  ): Promise<{ linkedTo?: string; conditions: StreamCondition[] }> {
    const other = facts?.linkedTo;
    if (other === undefined || other === c.expenditureId)
      return { ...(other ? { linkedTo: other } : {}), conditions: [] };
    const streamId = expenditureStreamId(other);
    const { stored, events } = await this.writer.read<ExpenditureEvent>(streamId, c.context.dryRun);
    const last = stored[stored.length - 1];
    const conditions = [{ streamId, expectedRevision: last ? last.revision : ('no_stream' as const) }];
    const held = foldExpenditure(events);
    const holds = held.status === 'declared' && held.linkedEquipment?.[c.activityId] !== undefined;
    return holds ? { linkedTo: other, conditions } : { conditions };
  }
}
