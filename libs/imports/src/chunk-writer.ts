import {
  DeclareExpenditureCommand,
  RecordActivitiesBatchCommand,
  type BatchItem,
  type BatchResult,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import { DomainConflictError, DomainValidationError, type ExpenditureFields, type ValidationIssue } from '@ihl/domain';

/** The application's command bus (or anything executing its commands the same way). */
export interface ImportCommands {
  execute<T>(command: object): Promise<T>;
}

export interface PendingActivity {
  readonly at: number;
  readonly item: BatchItem;
}
export interface PendingExpenditure {
  readonly at: number;
  readonly expenditureId: string;
  readonly fields: ExpenditureFields;
}

/** What a chunk came to: written, found already there, and refused rows (by their index in the chunk). */
export interface ChunkOutcome {
  imported: number;
  alreadyPresent: number;
  readonly refused: { readonly at: number; readonly issues: readonly ValidationIssue[] }[];
}

const RECORD_AT = /^records\[(\d+)\]\.?(.*)$/;

/**
 * The chunk through the same batch command as `POST /activities/batch` (all or nothing): a record
 * the ledger refuses is taken out with its issues and the rest sent again, so one bad row costs a
 * retry, not its neighbours.
 */
export async function writeActivities(
  commands: ImportCommands,
  target: { projectCode: string; partnerId: string; context: RequestContext },
  chunk: readonly PendingActivity[],
): Promise<ChunkOutcome> {
  const out: ChunkOutcome = { imported: 0, alreadyPresent: 0, refused: [] };
  let left = [...chunk];
  while (left.length > 0) {
    try {
      const results = await commands.execute<BatchResult>(
        new RecordActivitiesBatchCommand(
          target.projectCode,
          target.partnerId,
          left.map((p) => p.item),
          target.context,
        ),
      );
      for (const r of results) {
        if (r.changed) out.imported++;
        else out.alreadyPresent++;
      }
      return out;
    } catch (e) {
      const refused = refusedIndexes(e);
      if (refused.size === 0) throw e;
      for (const [i, issues] of refused) out.refused.push({ at: left[i]!.at, issues });
      left = left.filter((_, i) => !refused.has(i));
    }
  }
  return out;
}

/** The batch's refusal per record index; empty for an error that is not about its records. */
function refusedIndexes(e: unknown): Map<number, ValidationIssue[]> {
  const out = new Map<number, ValidationIssue[]>();
  if (e instanceof DomainValidationError) {
    for (const issue of e.issues) {
      const m = RECORD_AT.exec(issue.field);
      if (!m) return new Map();
      const list = out.get(Number(m[1])) ?? [];
      list.push({ ...issue, field: m[2] ?? '' });
      out.set(Number(m[1]), list);
    }
  } else if (e instanceof DomainConflictError) {
    const m = /^records\[(\d+)\]: (.*)$/.exec(e.message);
    if (m) out.set(Number(m[1]), [{ field: 'recordId', rule: e.code, message: m[2] ?? e.message }]);
  }
  return out;
}

/** Expenditures have no batch command: each goes through the one `POST /expenditures` uses. */
export async function writeExpenditures(
  commands: ImportCommands,
  target: { projectCode: string; partnerId: string; context: RequestContext },
  chunk: readonly PendingExpenditure[],
): Promise<ChunkOutcome> {
  const out: ChunkOutcome = { imported: 0, alreadyPresent: 0, refused: [] };
  for (const p of chunk) {
    try {
      const r = await commands.execute<WriteResult>(
        new DeclareExpenditureCommand(target.projectCode, target.partnerId, p.fields, target.context, p.expenditureId),
      );
      if (r.changed) out.imported++;
      else out.alreadyPresent++;
    } catch (e) {
      if (e instanceof DomainValidationError) out.refused.push({ at: p.at, issues: e.issues });
      else if (e instanceof DomainConflictError)
        out.refused.push({ at: p.at, issues: [{ field: 'recordId', rule: e.code, message: e.message }] });
      else throw e;
    }
  }
  return out;
}
