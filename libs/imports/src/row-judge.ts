import type { ValidationIssue } from '@ihl/domain';
import { IMPORT_KINDS, type ImportKind } from './import-columns';
import type { ImportRowValidator, ValidatedRow } from './import-validator.port';
import { rowBody } from './row-body';
import { hasPersonalCode, rowRecordId } from './row-identity';
import type { SourceRow } from './source-row';

/**
 * A row as far as it can be judged without the person keys: refused with its issues, or valid with
 * the record the command takes and, unless a personal code must be keyed first, its record id.
 * Plain data (structured-clone safe): a worker thread judges rows and hands these over.
 */
export type JudgedRow =
  | { readonly row: SourceRow; readonly issues: readonly ValidationIssue[] }
  | {
      readonly row: SourceRow;
      readonly kind: ImportKind;
      readonly checked: Exclude<ValidatedRow, { issues: unknown }>;
      readonly body: Record<string, unknown>;
      /** The row's record id: given in the file, or derived from content that holds no personal code. */
      readonly id?: string;
    };

export interface JudgeScope {
  readonly projectCode: string;
  readonly partnerId: string;
}

/** The row's kind, partner and body checked as the API checks a request (the API's DTO validation). */
export async function judgeRow(row: SourceRow, scope: JudgeScope, validator: ImportRowValidator): Promise<JudgedRow> {
  if (row.kind === null) {
    const message = `must be one of ${IMPORT_KINDS.join(', ')} (or name the kind of the whole file)`;
    return { row, issues: [{ field: 'kind', rule: 'enum', message, value: row.kindText ?? '' }] };
  }
  const { body, recordId, partnerId } = rowBody(row.kind, row);
  if (partnerId !== undefined && partnerId !== scope.partnerId) {
    const issue = {
      field: 'partnerId',
      rule: 'own-partner',
      message: 'may only be your own partner',
      value: partnerId,
    };
    return { row, issues: [issue] };
  }
  const idField = row.kind === 'expenditure' ? 'expenditureId' : 'activityId';
  const checked = await validator.validate(row.kind, recordId ? { ...body, [idField]: recordId } : body);
  if ('issues' in checked)
    return { row, issues: checked.issues.map((i) => (i.field === idField ? { ...i, field: 'recordId' } : i)) };
  if (recordId !== undefined) return { row, kind: row.kind, checked, body, id: recordId };
  if (hasPersonalCode(body)) return { row, kind: row.kind, checked, body };
  const id = rowRecordId({ ...scope, kind: row.kind }, body, () => {
    throw new Error('no personal code to key');
  });
  return { row, kind: row.kind, checked, body, id };
}
