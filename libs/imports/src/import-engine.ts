import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DryRunWrites, RecordImportCommand, type Actor, type RequestContext } from '@ihl/application';
import type { ValidationIssue } from '@ihl/domain';
import {
  writeActivities,
  writeExpenditures,
  type ChunkOutcome,
  type ImportCommands,
  type PendingActivity,
  type PendingExpenditure,
} from './chunk-writer';
import { surveyCsv } from './csv-rows';
import { dropCheckpoint, loadCheckpoint, saveCheckpoint, type ImportCheckpoint } from './import-checkpoint';
import { headerOf, IMPORT_COLUMNS, KIND, PARTNER_ID, RECORD_ID, type ImportKind } from './import-columns';
import type { ImportRowValidator } from './import-validator.port';
import { judgedRows } from './judged-rows';
import { RowErrorFile, rowErrorsXlsx, type RowError } from './row-errors';
import { rowRecordId } from './row-identity';
import type { JudgedRow } from './row-judge';
import type { ValidatorModule } from './row-judge.pool';
import type { SourceRow } from './source-row';
import { surveyXlsx } from './xlsx-rows';

export type ImportFormat = 'csv' | 'xlsx';

export interface ImportRequest {
  readonly importId: string;
  readonly projectCode: string;
  /** Whose rows: a row naming another partner is refused. */
  readonly partnerId: string;
  readonly actor: Actor;
  readonly file: string;
  readonly format: ImportFormat;
  /** A CSV's kind when it has no `kind` column. */
  readonly kind?: ImportKind;
  /** Every row validated and decided by the same commands, nothing appended. */
  readonly dryRun: boolean;
}

export interface ImportDeps {
  readonly commands: ImportCommands;
  readonly validator: ImportRowValidator;
  /**
   * Where a worker thread loads the same validator: a large file's rows are then parsed and
   * validated there while this thread runs the commands (row-judge.pool.ts).
   */
  readonly validatorModule?: ValidatorModule;
  /** The keyed pseudonym of a personal code (the person registry's): row identities never hash a code. */
  readonly pseudonymOf: (personalCode: string) => string;
  /** Where the checkpoint and the row-error files go (DATA_DIR/imports for the api's uploads). */
  readonly workDir: string;
  readonly chunkSize?: number;
  readonly progress?: (done: number, total: number) => Promise<void> | void;
}

export interface ImportSummary {
  readonly importId: string;
  readonly projectCode: string;
  readonly partnerId: string;
  readonly format: ImportFormat;
  readonly sha256: string;
  readonly dryRun: boolean;
  readonly rows: number;
  /** Records written (a dry run: records that would be written). */
  readonly imported: number;
  readonly alreadyPresent: number;
  readonly rejected: number;
  /** The row-error files' names under workDir (null: no row was refused). */
  readonly errorFiles: { readonly csv: string; readonly xlsx: string } | null;
}

export const DEFAULT_CHUNK = 500;
export const errorCsvName = (importId: string) => `${importId}.errors.csv`;
export const errorXlsxName = (importId: string) => `${importId}.errors.xlsx`;

interface Pending {
  readonly rows: SourceRow[];
  readonly activities: PendingActivity[];
  readonly expenditures: PendingExpenditure[];
  /** Rows refused before any command, by their index in the chunk: written with the chunk's checkpoint. */
  readonly refused: { readonly at: number; readonly issues: readonly ValidationIssue[] }[];
  readonly ids: Set<string>;
  /** The chunk's pseudonyms by personal code: a person visited weekly is keyed once a chunk. */
  readonly pseudonyms: Map<string, string>;
  duplicates: number;
}

const emptyPending = (): Pending => ({
  rows: [],
  activities: [],
  expenditures: [],
  refused: [],
  ids: new Set(),
  pseudonyms: new Map(),
  duplicates: 0,
});

/**
 * Imports a CSV or XLSX file of activity records and expenditures: streamed row by row, each row
 * validated as the API validates a body, chunks written with the API's commands, a checkpoint after
 * each chunk. Re-running it (the same file, an overlap, a restart after a crash) writes nothing twice.
 */
export async function runImport(req: ImportRequest, deps: ImportDeps): Promise<ImportSummary> {
  await mkdir(deps.workDir, { recursive: true, mode: 0o700 });
  const csv = req.format === 'csv' ? await surveyCsv(req.file) : null;
  const survey = csv ?? (await surveyXlsx(req.file));
  const checkpointFile = join(deps.workDir, `${req.importId}.checkpoint.json`);
  const errorCsv = join(deps.workDir, errorCsvName(req.importId));
  const resumed = await loadCheckpoint(checkpointFile, survey.sha256);
  const errors = await RowErrorFile.open(errorCsv, resumed?.errorBytes ?? null);
  const state = { ...(resumed ?? zero(survey.sha256)), errorBytes: errors.length };
  const run = new ImportRun(req, deps, errors, state, survey.rows);
  try {
    const rows = judgedRows({
      file: req.file,
      csv,
      kind: req.kind ?? null,
      scope: { projectCode: req.projectCode, partnerId: req.partnerId },
      from: state.rowsDone,
      total: survey.rows,
      batch: deps.chunkSize ?? DEFAULT_CHUNK,
      validator: deps.validator,
      ...(deps.validatorModule ? { validatorModule: deps.validatorModule } : {}),
    });
    for await (const judged of rows) await run.take(judged);
    await run.finish();
  } finally {
    await errors.close();
  }
  const c = run.checkpoint;
  const errorFiles = c.rejected > 0 ? { csv: errorCsvName(req.importId), xlsx: errorXlsxName(req.importId) } : null;
  if (errorFiles) await rowErrorsXlsx(errorCsv, join(deps.workDir, errorFiles.xlsx));
  else await rm(errorCsv, { force: true });
  const { importId, projectCode, partnerId, format, dryRun } = req;
  const { sha256, rowsDone: rows, imported, alreadyPresent, rejected } = c;
  const counts = { rows, imported, alreadyPresent, rejected };
  // Recorded before the checkpoint goes: a crash in between redoes nothing but this (once only).
  if (!dryRun) {
    const summary = { importId, projectCode, partnerId, fileSha256: sha256, format, ...counts };
    await deps.commands.execute(new RecordImportCommand(summary, run.context));
  }
  await dropCheckpoint(checkpointFile);
  return { importId, projectCode, partnerId, format, sha256, dryRun, ...counts, errorFiles };
}

function zero(sha256: string): ImportCheckpoint {
  return { sha256, rowsDone: 0, imported: 0, alreadyPresent: 0, rejected: 0, errorBytes: 0 };
}

/**
 * One import's rows in flight: validated into the pending chunk while the chunk before it is
 * written (its commit's fsyncs and checkpoint run meanwhile), chunks written one after another.
 */
class ImportRun {
  private pending = emptyPending();
  /** The chunk being written; the next one waits for it (a later chunk finds its records there). */
  private writing: Promise<void> = Promise.resolve();
  readonly context: RequestContext;
  private readonly chunkSize: number;

  constructor(
    private readonly req: ImportRequest,
    private readonly deps: ImportDeps,
    private readonly errors: RowErrorFile,
    public checkpoint: ImportCheckpoint,
    private readonly total: number,
  ) {
    this.chunkSize = deps.chunkSize ?? DEFAULT_CHUNK;
    this.context = {
      actor: req.actor,
      correlationId: req.importId,
      causationId: `import-${req.importId}`,
      importId: req.importId,
      // One overlay for the whole run: a record written by an earlier chunk is "already present" later.
      ...(req.dryRun ? { dryRun: new DryRunWrites() } : {}),
    };
  }

  async take(judged: JudgedRow): Promise<void> {
    const p = this.pending;
    p.rows.push(judged.row);
    const refused = this.prepare(judged);
    if (refused) p.refused.push({ at: p.rows.length - 1, issues: refused });
    if (p.rows.length < this.chunkSize) return;
    this.pending = emptyPending();
    await this.writing;
    this.writing = this.write(p);
    // Awaited by the next chunk or finish(); until then a failure must not count as unhandled.
    this.writing.catch(() => undefined);
  }

  /** The last chunk written, and every chunk before it. */
  async finish(): Promise<void> {
    await this.writing;
    const p = this.pending;
    this.pending = emptyPending();
    await this.write(p);
  }

  /** Writes a chunk, then its row errors (in row order) and how far the import got. */
  private async write(p: Pending): Promise<void> {
    if (p.rows.length === 0) return;
    const target = { projectCode: this.req.projectCode, partnerId: this.req.partnerId, context: this.context };
    const outcomes: ChunkOutcome[] = [
      await writeActivities(this.deps.commands, target, p.activities),
      await writeExpenditures(this.deps.commands, target, p.expenditures),
    ];
    let { imported, alreadyPresent } = this.checkpoint;
    alreadyPresent += p.duplicates;
    const refused = [...p.refused];
    for (const o of outcomes) {
      imported += o.imported;
      alreadyPresent += o.alreadyPresent;
      refused.push(...o.refused);
    }
    refused.sort((a, b) => a.at - b.at);
    for (const r of refused) await this.reject(p.rows[r.at]!, r.issues);
    const rowsDone = this.checkpoint.rowsDone + p.rows.length;
    const rejected = this.checkpoint.rejected + refused.length;
    const errorBytes = this.errors.length;
    this.checkpoint = { ...this.checkpoint, rowsDone, imported, alreadyPresent, rejected, errorBytes };
    if (!this.req.dryRun)
      await saveCheckpoint(join(this.deps.workDir, `${this.req.importId}.checkpoint.json`), this.checkpoint);
    await this.deps.progress?.(rowsDone, Math.max(rowsDone, this.total));
    // A chunk is a long stretch of synchronous work: let the worker renew its job lock in between.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** The judged row identified and added to the chunk; its issues when it is refused before any command. */
  private prepare(judged: JudgedRow): readonly ValidationIssue[] | null {
    if ('issues' in judged) return judged.issues;
    let id = judged.id;
    try {
      id ??= rowRecordId({ ...this.req, kind: judged.kind }, judged.body, (code) => this.pseudonymOf(code));
    } catch (e) {
      if (e instanceof Error && 'issues' in e && Array.isArray(e.issues)) return e.issues as ValidationIssue[];
      throw e;
    }
    const p = this.pending;
    if (p.ids.has(id)) {
      p.duplicates++;
      return null;
    }
    p.ids.add(id);
    const at = p.rows.length - 1;
    const checked = judged.checked;
    if ('activity' in checked) p.activities.push({ at, item: { ...checked.activity, activityId: id } });
    else p.expenditures.push({ at, expenditureId: id, fields: checked.expenditure });
    return null;
  }

  private pseudonymOf(code: string): string {
    const known = this.pending.pseudonyms.get(code);
    if (known !== undefined) return known;
    const pseudonym = this.deps.pseudonymOf(code);
    this.pending.pseudonyms.set(code, pseudonym);
    return pseudonym;
  }

  private async reject(row: SourceRow, issues: readonly ValidationIssue[]): Promise<void> {
    for (const issue of issues) {
      const e: RowError = {
        sheet: row.sheet,
        row: row.row,
        column: columnName(row.kind, issue.field),
        value: issue.value ?? row.cells.get(issue.field) ?? '',
        rule: issue.rule,
        message: issue.message,
      };
      await this.errors.add(e);
    }
  }
}

/** The template's header of the field an issue names, or the field itself. */
function columnName(kind: ImportKind | null, field: string): string {
  const shared = [RECORD_ID, PARTNER_ID, KIND].find((c) => c.field === field);
  const column = shared ?? (kind ? IMPORT_COLUMNS[kind].find((c) => c.field === field) : undefined);
  return column ? headerOf(column) : field;
}
