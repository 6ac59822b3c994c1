import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CsvSurvey } from './csv-rows';
import type { ImportKind } from './import-columns';
import type { JudgedRow, JudgeScope } from './row-judge';

/** Where a worker thread finds the API's row validator: a module's path and the export holding it. */
export interface ValidatorModule {
  readonly module: string;
  readonly name: string;
}

/** One file's rows for the thread to judge, from row `skip` on (the rows before were judged already). */
export interface RowJob {
  readonly jobId: number;
  readonly file: string;
  readonly csv: CsvSurvey | null;
  readonly kind: ImportKind | null;
  readonly scope: JudgeScope;
  readonly skip: number;
  readonly batch: number;
}

export type ToRowJudge =
  { readonly type: 'job'; readonly job: RowJob } | { readonly type: 'more' | 'stop'; readonly jobId: number };

type FromRowJudge =
  | { readonly type: 'ready' }
  | { readonly type: 'rows'; readonly jobId: number; readonly rows: JudgedRow[]; readonly done: boolean }
  | { readonly type: 'failed'; readonly jobId: number; readonly message: string; readonly code?: string };

/**
 * From source (tsx, ts-jest) the thread needs TypeScript: the same loader the tests and the bench
 * run on, registered in the thread; the built code (dist) loads its .js directly.
 */
const BOOT = `const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) require('tsx/cjs');
require(workerData.entry);`;

/** How long an idle thread is kept for the next import (loading the validator costs seconds). */
const IDLE_MS = 60_000;

let jobIds = 0;
/** Rows the threads have judged in this process (a test tells by it that the thread took over). */
let threadRows = 0;
export const rowsJudgedByThreads = (): number => threadRows;

/** A worker thread judging an import's rows; one import at a time. */
export class RowJudgeThread {
  private readonly worker: Worker;
  ready = false;
  busy = false;
  failed: Error | null = null;
  private listener: ((m: FromRowJudge) => void) | null = null;
  private idle: NodeJS.Timeout | null = null;
  /** Settles when the thread has loaded the validator (true) or could not (false). */
  readonly loaded: Promise<boolean>;

  constructor(validator: ValidatorModule, onGone: () => void) {
    const entry = join(__dirname, `row-judge.worker${extname(__filename)}`);
    this.worker = new Worker(BOOT, { eval: true, workerData: { entry, validator } });
    // Never what keeps a process (the CLI, a test) alive.
    this.worker.unref();
    let settle: (ok: boolean) => void = () => undefined;
    this.loaded = new Promise((resolve) => (settle = resolve));
    this.worker.on('message', (m: FromRowJudge) => {
      if (m.type === 'ready') settle((this.ready = true));
      else this.listener?.(m);
    });
    const gone = (e: Error) => {
      settle(false);
      this.failed ??= e;
      onGone();
      this.listener?.({ type: 'failed', jobId: -1, message: e.message });
    };
    this.worker.on('error', gone);
    this.worker.on('exit', () => gone(new Error('the import row thread stopped')));
  }

  /** The rows of the file from `skip` on, judged by the thread, a batch ahead of the caller. */
  async *judged(job: Omit<RowJob, 'jobId'>): AsyncGenerator<JudgedRow> {
    const jobId = ++jobIds;
    const queue: FromRowJudge[] = [];
    let wake: (() => void) | null = null;
    this.listener = (m) => {
      if ('jobId' in m && m.jobId !== jobId && m.jobId !== -1) return;
      queue.push(m);
      wake?.();
    };
    const send = (m: ToRowJudge) => this.worker.postMessage(m);
    send({ type: 'job', job: { ...job, jobId } });
    // Two batches asked for: one is judged while the caller takes the other.
    send({ type: 'more', jobId });
    send({ type: 'more', jobId });
    let done = false;
    try {
      while (!done) {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const m = queue.shift()!;
        if (m.type === 'failed') throw Object.assign(new Error(m.message), m.code ? { code: m.code } : {});
        if (m.type !== 'rows') continue;
        done = m.done;
        threadRows += m.rows.length;
        if (!done) send({ type: 'more', jobId });
        yield* m.rows;
      }
    } finally {
      this.listener = null;
      if (!done && !this.failed) send({ type: 'stop', jobId });
    }
  }

  /** Back to the pool; ended after a while unused. */
  release(): void {
    this.busy = false;
    // Its exit takes it out of the pool.
    this.idle = setTimeout(() => void this.worker.terminate(), IDLE_MS);
    this.idle.unref();
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    await this.worker.terminate();
  }

  take(): void {
    this.busy = true;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }
}

/** A pool of one thread per validator: a second import at the same time judges its rows itself. */
const pool = new Map<string, RowJudgeThread>();

export function acquireRowJudge(validator: ValidatorModule): RowJudgeThread | null {
  const key = `${validator.module}#${validator.name}`;
  let thread = pool.get(key);
  if (thread?.failed) thread = undefined;
  if (!thread) {
    const created = new RowJudgeThread(validator, () => {
      if (pool.get(key) === created) pool.delete(key);
    });
    thread = created;
    pool.set(key, created);
  }
  if (thread.busy) return null;
  thread.take();
  return thread;
}

/** Starts (or keeps) the pool's thread and waits until it has loaded the validator: false if it cannot. */
export async function warmRowJudge(validator: ValidatorModule): Promise<boolean> {
  const thread = acquireRowJudge(validator);
  if (!thread) return true;
  try {
    return await thread.loaded;
  } finally {
    thread.release();
  }
}

/** Ends the pool's threads (a process shutting down, a test's end); an import running on one fails. */
export async function closeRowJudges(): Promise<void> {
  const threads = [...pool.values()];
  pool.clear();
  await Promise.all(threads.map((t) => t.close()));
}
