import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  activityStreamId,
  decideEvidence,
  evidenceStreamOf,
  expenditureStreamId,
  foldActivity,
  foldEvidence,
  foldExpenditure,
  type ActivityEvent,
  type EvidenceEvent,
  type EvidenceFile,
  type EvidenceRecordKind,
  type EvidenceState,
  type EvidenceTarget,
  type ExpenditureEvent,
  visibleTarget,
} from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/**
 * A file of evidence (already stored by its hash beside the ledger) attached to an activity record
 * or an expenditure: an EvidenceAttached event on the record's evidence stream.
 */
export class AttachEvidenceCommand {
  constructor(
    readonly projectCode: string,
    readonly recordKind: EvidenceRecordKind,
    readonly recordId: string,
    readonly file: EvidenceFile,
    readonly context: RequestContext,
  ) {}
}

/** The stream of a record of `kind`. */
export function recordStreamOf(kind: EvidenceRecordKind, id: string): string {
  return kind === 'activity' ? activityStreamId(id) : expenditureStreamId(id);
}

@CommandHandler(AttachEvidenceCommand)
export class AttachEvidenceHandler implements ICommandHandler<AttachEvidenceCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  async execute(c: AttachEvidenceCommand): Promise<WriteResult> {
    const recordStream = recordStreamOf(c.recordKind, c.recordId);
    // Read once, before deciding: a record's project and partner never change; a void landing in
    // between leaves evidence on a voided record, which changes no figure.
    const record = await this.target(c.recordKind, recordStream);
    const command = {
      type: 'AttachEvidence' as const,
      projectCode: c.projectCode,
      recordKind: c.recordKind,
      recordId: c.recordId,
      record,
      file: c.file,
    };
    return this.writer.writeInProject<EvidenceState, EvidenceEvent>(c.context, c.projectCode, () => ({
      streamId: evidenceStreamOf(recordStream),
      fold: foldEvidence,
      noopAnswer: 'last',
      // Before a repeated Idempotency-Key is answered: another partner learns nothing of this stream.
      guard: () => visibleTarget(command, c.context.actor),
      decide: (state) => decideEvidence(state, command, c.context.actor),
    }));
  }

  private async target(kind: EvidenceRecordKind, streamId: string): Promise<EvidenceTarget | null> {
    const state =
      kind === 'activity'
        ? foldActivity((await this.writer.read<ActivityEvent>(streamId)).events)
        : foldExpenditure((await this.writer.read<ExpenditureEvent>(streamId)).events);
    return state.status === 'none' ? null : state;
  }
}
