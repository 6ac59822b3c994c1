import type { INestApplication } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import request from 'supertest';
import { PERSON_REGISTRY, READ_MODELS, type PersonRegistry, type ReadModelsPort } from '@ihl/application';
import { importRowValidator, importRowValidatorModule } from '@ihl/http-api';
import {
  checkpointsOf,
  importFileJob,
  reportPdfJob,
  reportWorkbookJob,
  runChecksJob,
  startJobWorker,
  type JobWorker,
} from '@ihl/jobs';

/**
 * The worker in this test process, answering report and import jobs with the app's own query and
 * command buses and running the checks with its command bus (as the worker app does with its own,
 * at the default thresholds unless given); a rebuild job it is handed fails.
 */
export function startReportWorker(
  redisUrl: string,
  app: INestApplication,
  dataDir: string,
  thresholds = { verificationDays: 30, periodLockDays: 30, silentPartnerDays: 30 },
): Promise<JobWorker> {
  return startJobWorker({
    redisUrl,
    settings: { concurrency: 1, lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
    handlers: {
      'rebuild-read-models': () => Promise.reject(new Error('not run by this test worker')),
      'report-workbook': reportWorkbookJob({ queries: app.get(QueryBus), dataDir, checkpoints: checkpointsOf(app) }),
      'report-pdf': reportPdfJob({ queries: app.get(QueryBus), dataDir, checkpoints: checkpointsOf(app) }),
      'run-checks': runChecksJob({
        commands: app.get(CommandBus),
        thresholds: () => thresholds,
        projects: () => app.get<ReadModelsPort>(READ_MODELS).checkedProjects(),
      }),
      'import-file': importFileJob({
        commands: app.get(CommandBus),
        validator: importRowValidator,
        validatorModule: importRowValidatorModule,
        pseudonymOf: (code) => app.get<PersonRegistry>(PERSON_REGISTRY).identify(code).pseudonym,
        dataDir,
      }),
    },
  });
}

/** Polls an import's Location until it is finished; its last answer. */
export async function finishedImport(base: string, location: string, auth: Record<string, string>) {
  for (let i = 0; i < 1200; i++) {
    const res = await request(base).get(location).set(auth).expect(200);
    if (res.body.state === 'completed' || res.body.state === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${location} did not finish`);
}

/** Polls a job's Location until it is finished; its last answer. */
export async function finishedJob(base: string, location: string, auth: Record<string, string>) {
  for (let i = 0; i < 400; i++) {
    const res = await request(base).get(location).set(auth).expect(200);
    if (res.body.state === 'completed' || res.body.state === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${location} did not finish`);
}
