import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import {
  loadCheckSettings,
  loadJobWorkerSettings,
  loadMaintenanceConfig,
  loadWorkerConfig,
  loadWorkerMetricsConfig,
} from '@ihl/config';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { PERSON_REGISTRY, READ_MODELS, type PersonRegistry, type ReadModelsPort } from '@ihl/application';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { createLedgerLog, importRowValidator, importRowValidatorModule } from '@ihl/http-api';
import {
  checkpointsOf,
  importFileJob,
  rebuildReadModelsJob,
  reportPdfJob,
  reportWorkbookJob,
  resolveRedisEndpoint,
  runChecksJob,
  scheduleChecks,
  startJobWorker,
  LEDGER_QUEUE,
  WorkerMetrics,
  type JobWorker,
} from '@ihl/jobs';
import { LedgerCoreModule, type ReadModels } from '@ihl/runtime';

/** One handler per job of the registry, each on this worker's application context. */
function jobHandlers(
  app: INestApplicationContext,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  checks: ReturnType<typeof loadCheckSettings>,
): Parameters<typeof startJobWorker>[0]['handlers'] {
  return {
    'rebuild-read-models': rebuildReadModelsJob(() => loadMaintenanceConfig(env)),
    'report-workbook': reportWorkbookJob({ queries: app.get(QueryBus), dataDir, checkpoints: checkpointsOf(app) }),
    'report-pdf': reportPdfJob({ queries: app.get(QueryBus), dataDir, checkpoints: checkpointsOf(app) }),
    'run-checks': runChecksJob({
      commands: app.get(CommandBus),
      thresholds: () => checks.thresholds,
      projects: () => app.get<ReadModelsPort>(READ_MODELS).checkedProjects(),
    }),
    // Imports write with the application's own commands, validated by the API's own DTOs.
    'import-file': importFileJob({
      commands: app.get(CommandBus),
      validator: importRowValidator,
      validatorModule: importRowValidatorModule,
      pseudonymOf: (code) => app.get<PersonRegistry>(PERSON_REGISTRY).identify(code).pseudonym,
      dataDir,
    }),
  };
}

/**
 * The worker's own `/metrics` when LEDGER_WORKER_METRICS_PORT is set (validated with the rest of the
 * configuration, before anything starts): its jobs, and the lag of the read models it feeds.
 */
async function serveMetrics(
  settings: NonNullable<ReturnType<typeof loadWorkerMetricsConfig>>,
  jobs: JobWorker,
  projections: INestApplicationContext | null,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  const metrics = new WorkerMetrics(
    projections
      ? {
          readModelsLag: async () => {
            const head = await projections.get<EventStore>(EVENT_STORE).headPosition();
            return Math.max(0, head - projections.get<ReadModels>(READ_MODELS).status.reached);
          },
        }
      : {},
  );
  metrics.observe(jobs.worker);
  const { server, url } = await metrics.serve(settings.host, settings.port);
  log(`worker metrics on ${url}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * The background worker: runs the ledger's jobs (libs/jobs registry) and, with
 * LEDGER_PROJECTIONS=worker, feeds the read models (the api then only reads their file).
 * SIGTERM/SIGINT: the current job finishes, no new one is taken; a killed worker's job is handed
 * back to the queue by the stalled check.
 */
async function main(): Promise<void> {
  // Without REDIS_URL, LEDGER_REDIS=private reuses (or starts) the private redis-server of DATA_DIR.
  const redis = await resolveRedisEndpoint(process.env, process.env.DATA_DIR ?? './data');
  const env = redis ? { ...process.env, REDIS_URL: redis.url } : process.env;
  const config = loadWorkerConfig(env);
  const checks = loadCheckSettings(env);
  const metricsSettings = loadWorkerMetricsConfig(env);
  const log = createLedgerLog({ service: 'worker', ...(config.logLevel ? { level: config.logLevel } : {}) });
  let projections: INestApplicationContext | null = null;
  if (config.projectionHost === 'worker') {
    projections = await NestFactory.createApplicationContext(
      LedgerCoreModule.forRoot({
        dataDir: config.dataDir,
        eventStoreConnectionString: config.eventStoreConnectionString,
        readModels: 'run',
        ...(config.privacy ? { privacy: config.privacy } : {}),
      }),
      { logger: false },
    );
    await projections.init();
    log.info(`ledger worker feeding the read models in ${config.dataDir}`);
  }
  // Reports answer the application's queries: on the read models this worker feeds, else on the file it follows.
  const queries =
    projections ??
    (await NestFactory.createApplicationContext(
      LedgerCoreModule.forRoot({
        dataDir: config.dataDir,
        eventStoreConnectionString: config.eventStoreConnectionString,
        readModels: 'follow',
        ...(config.privacy ? { privacy: config.privacy } : {}),
      }),
      { logger: false },
    ));
  if (queries !== projections) await queries.init();
  const jobs = await startJobWorker({
    redisUrl: config.redisUrl,
    settings: loadJobWorkerSettings(env),
    handlers: jobHandlers(queries, env, config.dataDir, checks),
    log: (line) => log.info(line),
  });
  const stopMetrics = metricsSettings
    ? await serveMetrics(metricsSettings, jobs, projections, (line) => log.info(line))
    : async () => undefined;
  // Every worker upserts the same scheduler: one schedule however many workers start.
  await scheduleChecks(config.redisUrl, checks);
  log.info(
    checks.cron
      ? `scheduled checks: "${checks.cron}" (${checks.timeZone})`
      : 'scheduled checks: off (LEDGER_CHECKS_CRON)',
  );
  log.info(`ledger worker listening on queue "${LEDGER_QUEUE}"`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopMetrics();
    await jobs.close();
    if (queries !== projections) await queries.close();
    await projections?.close();
    await redis?.release();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
