import type { BatchItem } from '@ihl/application';
import type { ExpenditureFields, ValidationIssue } from '@ihl/domain';
import type { ImportKind } from './import-columns';

/** A row as the API's validation judged it: its issues, or what the record command takes. */
export type ValidatedRow =
  | { readonly issues: readonly ValidationIssue[] }
  | { readonly activity: BatchItem; readonly partnerId?: string }
  | { readonly expenditure: ExpenditureFields; readonly expenditureId?: string; readonly partnerId?: string };

/**
 * The API's own DTO validation of one record (the same class-validator rules as the HTTP bodies):
 * implemented in libs/http-api, handed to the engine by the worker and the CLI.
 */
export interface ImportRowValidator {
  validate(kind: ImportKind, body: Record<string, unknown>): Promise<ValidatedRow>;
}
