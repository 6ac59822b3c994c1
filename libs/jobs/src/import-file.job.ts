import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { DomainForbiddenError, DomainNotFoundError, DomainValidationError } from '@ihl/domain';
import {
  runImport,
  type ImportCommands,
  type ImportRowValidator,
  type ImportSummary,
  type ValidatorModule,
  isImportKind,
} from '@ihl/imports';
import type { ImportFilePayload, JobContext, JobHandler } from './job-registry';

export const IMPORTS_DIR = 'imports';
export const importsDir = (dataDir: string) => join(dataDir, IMPORTS_DIR);

export interface ImportFileJobDeps {
  readonly commands: ImportCommands;
  readonly validator: ImportRowValidator;
  /** The same validator for the engine's worker thread (a large file's rows are judged there). */
  readonly validatorModule?: ValidatorModule;
  readonly pseudonymOf: (personalCode: string) => string;
  readonly dataDir: string;
}

/**
 * Runs an uploaded file through the import engine as the partner that sent it. The job id is the
 * import id: a job redone after its worker died resumes from the engine's checkpoint, and rows
 * already written are found by their ids. The upload is removed once the import has finished; its
 * summary stays beside the row errors, so a run redone after that answers the same.
 */
export function importFileJob(deps: ImportFileJobDeps): JobHandler<'import-file'> {
  return async (payload: ImportFilePayload, context: JobContext) => {
    const dir = importsDir(deps.dataDir);
    const upload = join(dir, payload.file);
    const kind = payload.kind;
    const done = join(dir, `${context.id}.summary.json`);
    // Finished before, by a run whose end BullMQ did not hear of (its lock lost): the same answer.
    const before = await finishedBefore(done);
    if (before) return before;
    try {
      const summary = await runImport(
        {
          importId: context.id,
          projectCode: payload.projectCode,
          partnerId: payload.partnerId,
          actor: { subject: payload.actor.subject, role: 'partner-submitter', partnerId: payload.partnerId },
          file: upload,
          format: payload.format,
          ...(kind !== undefined && isImportKind(kind) ? { kind } : {}),
          dryRun: payload.dryRun,
        },
        {
          commands: deps.commands,
          validator: deps.validator,
          ...(deps.validatorModule ? { validatorModule: deps.validatorModule } : {}),
          pseudonymOf: deps.pseudonymOf,
          workDir: dir,
          progress: (done, total) => context.progress({ done, total }),
        },
      );
      await writeFile(done, JSON.stringify(summary), { mode: 0o600 });
      await rm(upload, { force: true });
      return summary;
    } catch (e) {
      const refused =
        e instanceof DomainValidationError || e instanceof DomainForbiddenError || e instanceof DomainNotFoundError;
      if (!refused && !isUnreadable(e)) throw e;
      await rm(upload, { force: true });
      throw new UnrecoverableError(e instanceof Error ? e.message : String(e));
    }
  };
}

async function finishedBefore(file: string): Promise<ImportSummary | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const summary = JSON.parse(text) as ImportSummary;
  return typeof summary.importId === 'string' ? summary : null;
}

/** A file that is not what its name says (a broken zip, bytes that are no CSV): retrying cannot mend it. */
function isUnreadable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return /CSV_|end of central directory|invalid signature|Corrupted zip|ENOENT/i.test(
    `${(e as { code?: string }).code ?? ''} ${e.message}`,
  );
}
