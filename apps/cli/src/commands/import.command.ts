import { randomUUID } from 'node:crypto';
import { extname, join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { SingleBar } from 'cli-progress';
import { PERSON_REGISTRY, type PersonRegistry } from '@ihl/application';
import type { MaintenanceConfig } from '@ihl/config';
import { importRowValidator, importRowValidatorModule } from '@ihl/http-api';
import { isImportKind, runImport, type ImportKind, type ImportSummary } from '@ihl/imports';
import { LedgerCoreModule } from '@ihl/runtime';

export interface ImportOptions {
  readonly file: string;
  readonly projectCode: string;
  readonly partnerId: string;
  readonly dryRun: boolean;
  readonly kind?: string | undefined;
  /** Progress on stderr; false in tests. */
  readonly progressBar?: boolean;
}

/**
 * `ledger import FILE --partner ID [--dry-run]`: the engine the worker runs, in this process (no
 * Redis), on the ledger of DATA_DIR, as the partner itself. Row errors go to DATA_DIR/imports.
 */
export async function runImportCommand(config: MaintenanceConfig, o: ImportOptions): Promise<ImportSummary> {
  const format =
    extname(o.file).toLowerCase() === '.xlsx' ? 'xlsx' : extname(o.file).toLowerCase() === '.csv' ? 'csv' : null;
  if (!format) throw new Error(`${o.file}: only .csv and .xlsx files are imported`);
  if (o.kind !== undefined && !isImportKind(o.kind)) throw new Error(`--kind: no record kind "${o.kind}"`);
  const kind: ImportKind | undefined = o.kind;
  const app = await NestFactory.createApplicationContext(
    LedgerCoreModule.forRoot({
      dataDir: config.dataDir,
      eventStoreConnectionString: config.eventStoreConnectionString,
      readModels: false,
      privacy: config.privacy,
    }),
    { logger: false },
  );
  const bar = o.progressBar
    ? new SingleBar({ stream: process.stderr, format: 'import [{bar}] {value}/{total} rows' })
    : null;
  try {
    const persons = app.get<PersonRegistry>(PERSON_REGISTRY);
    bar?.start(1, 0);
    return await runImport(
      {
        importId: randomUUID(),
        projectCode: o.projectCode,
        partnerId: o.partnerId,
        actor: { subject: `cli:${o.partnerId}`, role: 'partner-submitter', partnerId: o.partnerId },
        file: resolve(o.file),
        format,
        ...(kind ? { kind } : {}),
        dryRun: o.dryRun,
      },
      {
        commands: app.get(CommandBus),
        validator: importRowValidator,
        validatorModule: importRowValidatorModule,
        pseudonymOf: (code) => persons.identify(code).pseudonym,
        workDir: join(config.dataDir, 'imports'),
        progress: (done, total) => {
          bar?.setTotal(total);
          bar?.update(done);
        },
      },
    );
  } finally {
    bar?.stop();
    await app.close();
  }
}
