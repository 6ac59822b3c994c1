import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { activityStreamId, foldActivity, type ActivityEvent, type EquipmentFacts } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import type { WriteResult } from '../shared/write-result';
import { StreamWriter } from '../shared/stream-writer';
import { writeExpenditure } from './expenditure-command.support';

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

  async execute(c: LinkEquipmentCommand): Promise<WriteResult> {
    // The equipment record is read first; the amounts are decided on the expenditure's stream.
    const { events } = await this.writer.read<ActivityEvent>(activityStreamId(c.activityId));
    const state = foldActivity(events);
    const equipment: EquipmentFacts | null =
      state.status === 'none' || state.projectCode !== c.projectCode
        ? null
        : {
            activityId: state.activityId,
            partnerId: state.partnerId,
            kind: state.fields.kind,
            totalCents: state.fields.kind === 'equipment-procured' ? state.fields.totalCents : 0,
            voided: state.status === 'voided',
          };
    return writeExpenditure(this.writer, c.context, c.projectCode, c.expenditureId, {
      type: 'LinkEquipment',
      activityId: c.activityId,
      equipment,
    });
  }
}
