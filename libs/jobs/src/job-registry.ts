import type { JobsOptions } from 'bullmq';
import type { ImportSummary } from '@ihl/imports';
import { checkImportPayload } from './import-file.payload';
import { checkReportPayload, reportPayloadCheck } from './report-workbook.payload';

/** The one queue of the ledger's background work. */
export const LEDGER_QUEUE = 'ledger';

/** Replays the log into fresh read models (as `ledger rebuild`); nothing to say but how. */
export interface RebuildReadModelsPayload {
  /** Events read per page; smaller pages report progress more often. */
  readonly pageSize?: number;
}

export interface RebuildReadModelsResult {
  readonly position: number;
  readonly contentHash: string;
}

/** A report pack of a project at one ledger position: the XLSX workbook or the PDF (report-*.job.ts). */
export interface ReportWorkbookPayload {
  readonly projectCode: string;
  readonly format: 'xlsx' | 'pdf';
  /** As validated by the API: a day YYYY-MM-DD or a position. */
  readonly asOf?: string;
  /** Without asOf: the head the API read when asked, so the pack is what was asked for, whenever it runs. */
  readonly position?: number;
  readonly partnerId?: string;
  /** Whose view of the figures (a partner's is its own): the requester, without a personal code. */
  readonly actor: JobRequester;
}

export interface ReportWorkbookResult {
  /** The file's name under DATA_DIR/reports. */
  readonly file: string;
  readonly position: number;
  readonly sheets: readonly string[];
}

export interface ReportPdfResult {
  /** The file's name under DATA_DIR/reports. */
  readonly file: string;
  readonly position: number;
  readonly pages: number;
}

/** Runs the scheduled checks on one project, or on every registered project (run-checks.job.ts). */
export interface RunChecksPayload {
  readonly projectCode?: string;
}

export interface RunChecksJobResult {
  /** Per project checked: alerts raised and resolved by this run, and the log position after it. */
  readonly projects: readonly {
    readonly projectCode: string;
    readonly raised: number;
    readonly resolved: number;
    readonly position: number;
  }[];
}

/**
 * A file import (import-file.job.ts). The upload itself stays on disk under DATA_DIR/imports (it
 * holds personal codes): the job names it, never carries it.
 */
export interface ImportFilePayload {
  readonly projectCode: string;
  readonly partnerId: string;
  /** The upload's name under DATA_DIR/imports. */
  readonly file: string;
  readonly format: 'csv' | 'xlsx';
  /** A CSV's kind when it has no `kind` column. */
  readonly kind?: string;
  readonly dryRun: boolean;
  readonly actor: JobRequester;
}

export type ImportFileResult = ImportSummary;

/**
 * Every job the ledger runs: name → payload → result. A producer can only enqueue, and the worker
 * only run, what is listed here; payloads are plain JSON and never hold a personal code.
 */
export interface JobTypes {
  'rebuild-read-models': { payload: RebuildReadModelsPayload; result: RebuildReadModelsResult };
  'report-workbook': { payload: ReportWorkbookPayload; result: ReportWorkbookResult };
  'report-pdf': { payload: ReportWorkbookPayload; result: ReportPdfResult };
  'run-checks': { payload: RunChecksPayload; result: RunChecksJobResult };
  'import-file': { payload: ImportFilePayload; result: ImportFileResult };
}

export type JobName = keyof JobTypes;
export type JobPayload<N extends JobName> = JobTypes[N]['payload'];
export type JobResult<N extends JobName> = JobTypes[N]['result'];

/** Progress as the API shows it: e.g. events replayed of the log's head. */
export interface JobProgress {
  readonly done: number;
  readonly total: number;
}

/** Who asked: the API shows a job to its requester and to administrators only. */
export interface JobRequester {
  readonly subject: string;
  readonly role: string;
  readonly partnerId?: string;
}

/** What is stored in Redis for a job. */
export interface JobData<N extends JobName = JobName> {
  readonly payload: JobPayload<N>;
  readonly requestedBy: JobRequester;
}

export interface JobContext {
  readonly id: string;
  readonly attempt: number;
  progress(p: JobProgress): Promise<void>;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, context: JobContext) => Promise<JobResult<N>>;
export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

/** Checks a payload read back from Redis; throws a message for one the handler must not run. */
export type PayloadCheck = (payload: unknown) => string | null;

const DAY = 24 * 3600;

/**
 * Retried with exponential backoff (a lost connection, a busy disk), finished jobs kept a while for
 * the API and the board, then trimmed so Redis does not grow.
 */
const retried = (firstDelayMs = 2000): JobsOptions => ({
  attempts: 3,
  backoff: { type: 'exponential', delay: firstDelayMs },
  removeOnComplete: { count: 100, age: 7 * DAY },
  removeOnFail: { count: 500, age: 30 * DAY },
});

/** Per job: its queue options and the check of a payload read back from Redis. */
export const JOB_DEFINITIONS: {
  readonly [N in JobName]: { readonly options: JobsOptions; readonly check: PayloadCheck };
} = {
  'rebuild-read-models': {
    options: retried(),
    check: (payload) => {
      if (typeof payload !== 'object' || payload === null) return 'the payload must be an object';
      const pageSize = (payload as { pageSize?: unknown }).pageSize;
      if (
        pageSize !== undefined &&
        !(Number.isInteger(pageSize) && Number(pageSize) >= 1 && Number(pageSize) <= 100_000)
      )
        return 'pageSize must be a whole number from 1 to 100000';
      return null;
    },
  },
  'report-workbook': {
    options: retried(),
    check: checkReportPayload,
  },
  'report-pdf': {
    options: retried(),
    check: reportPayloadCheck('pdf'),
  },
  'run-checks': {
    options: retried(5000),
    check: (payload) => {
      if (typeof payload !== 'object' || payload === null) return 'the payload must be an object';
      const extra = Object.keys(payload).filter((k) => k !== 'projectCode');
      if (extra.length > 0) return `the payload holds only projectCode (not ${extra.join(', ')})`;
      const code = (payload as { projectCode?: unknown }).projectCode;
      if (code !== undefined && !(typeof code === 'string' && /^[A-Za-z0-9][A-Za-z0-9.-]{0,39}$/.test(code)))
        return 'projectCode must be a project code';
      return null;
    },
  },
  'import-file': {
    // Redone from its checkpoint after a crash; a failure for good removes the upload (see the job).
    options: retried(),
    check: checkImportPayload,
  },
};

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_DEFINITIONS, name);
}
