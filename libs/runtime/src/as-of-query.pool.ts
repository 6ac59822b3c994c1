import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** One query as of a position, for a thread to answer. */
export interface AsOfJob {
  readonly id: number;
  readonly position: number;
  readonly query: string;
  readonly args: readonly unknown[];
}

export type FromAsOfThread =
  | { readonly id: number; readonly ok: true; readonly value: unknown; readonly erasures: number; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly message: string };

type FromThread = FromAsOfThread | { readonly ready: boolean; readonly message?: string };

/** A thread's answer: the value, the erasures the file had applied when it was read, its read's ms. */
export interface ThreadAnswer {
  readonly value: unknown;
  readonly erasures: number;
  readonly ms: number;
}

/**
 * From source (tsx, ts-jest) the thread needs TypeScript: the same loader the tests and the bench
 * run on, registered in the thread; the built code (dist) loads its .js directly.
 */
const BOOT = `const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) require('tsx/cjs');
require(workerData.entry);`;

export interface AsOfPoolOptions {
  /** Threads, each with one read-only connection (default 2). */
  readonly threads?: number;
  /** Tests only: while its word 0 is 0, every thread waits before it answers. */
  readonly gate?: Int32Array;
  /**
   * A query whose reads lately took less than this (ms, a moving average over the reads here and on
   * the threads) is read on the caller's thread: it holds that thread up less than a hop to a
   * thread and back costs on a loaded host. Default 5; 0: every query goes to a thread.
   */
  readonly shortMs?: number;
}

class AsOfThread {
  readonly worker: Worker;
  ready = false;
  gone = false;
  /** Jobs sent and not answered yet, by id. */
  readonly pending = new Map<number, { resolve: (a: ThreadAnswer) => void; reject: (e: Error) => void }>();

  constructor(file: string, gate: Int32Array | undefined, onReady: () => void) {
    const entry = join(__dirname, `as-of-query.worker${extname(__filename)}`);
    this.worker = new Worker(BOOT, { eval: true, workerData: { entry, file, gate } });
    // Never what keeps a process (the CLI, a test) alive.
    this.worker.unref();
    this.worker.on('message', (m: FromThread) => {
      if ('ready' in m) {
        this.ready = m.ready;
        if (m.ready) onReady();
        else this.fail(new Error(`the as-of thread could not open ${file}: ${m.message}`));
        return;
      }
      const job = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) job?.resolve({ value: m.value, erasures: m.erasures, ms: m.ms });
      else job?.reject(new Error(m.message));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => this.fail(new Error('the as-of thread stopped')));
  }

  private fail(e: Error): void {
    this.gone = true;
    this.ready = false;
    for (const job of this.pending.values()) job.reject(e);
    this.pending.clear();
  }
}

/**
 * A few worker threads, each with its own read-only connection to one read-model file, that answer
 * figure queries as of past positions off the API's thread: an as-of read of tens of ms then does not
 * hold up the live requests, and reads as of different points run side by side on both cores.
 * Bounded: `threads` connections (SQLite's page cache each) and V8 heaps, nothing kept per point.
 * A job goes to the thread with the fewest waiting; until one has opened, `run` says so (null) and
 * the caller reads on its own thread as before.
 */
export class AsOfQueryPool {
  private readonly threads: AsOfThread[] = [];
  private ids = 0;
  private answers = 0;
  private readonly shortMs: number;
  /** How long each query's reads lately took (ms, moving average). */
  private readonly costs = new Map<string, number>();
  /** Settles once a thread can take jobs (tests wait for it). */
  readonly ready: Promise<void>;

  constructor(file: string, options: AsOfPoolOptions = {}) {
    this.shortMs = options.shortMs ?? 5;
    let settle = () => {};
    this.ready = new Promise((resolve) => (settle = resolve));
    for (let i = 0; i < (options.threads ?? 2); i++) this.threads.push(new AsOfThread(file, options.gate, settle));
  }

  /** The query's answer from a thread, or null when none can take it (the caller reads it itself). */
  run(position: number, query: string, args: readonly unknown[]): Promise<ThreadAnswer> | null {
    const open = this.threads.filter((t) => t.ready && !t.gone);
    if (open.length === 0) return null;
    const thread = open.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = ++this.ids;
    return new Promise<ThreadAnswer>((resolve, reject) => {
      thread.pending.set(id, {
        resolve: (a) => {
          this.answers += 1;
          this.observe(query, a.ms);
          resolve(a);
        },
        reject,
      });
      thread.worker.postMessage({ id, position, query, args } satisfies AsOfJob);
    });
  }

  /** Whether `query` lately read faster than `shortMs` (then it is read on the caller's thread). */
  short(query: string): boolean {
    const cost = this.costs.get(query);
    return cost !== undefined && cost < this.shortMs;
  }

  /** A read of `query` took `ms`. */
  observe(query: string, ms: number): void {
    const cost = this.costs.get(query);
    this.costs.set(query, cost === undefined ? ms : cost * 0.8 + ms * 0.2);
  }

  /** Answers the threads have read (a test tells by it that they did). */
  get answered(): number {
    return this.answers;
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
