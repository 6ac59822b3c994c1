/**
 * A thread answering figure queries as of past positions (see as-of-query.pool.ts) on its own
 * read-only connection to the read-model file, so that their SQL never holds up the API's thread.
 * It keeps nothing between jobs but its connection and prepared statements.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AsOfConnection } from './as-of-read-models';
import type { AsOfJob, FromAsOfThread } from './as-of-query.pool';
import { RunnerQueries, type ReadModelSource } from './read-models-queries';

const port = parentPort!;
const { file, gate } = workerData as { file: string; gate?: Int32Array };

/** The queries of one position on this thread's connection; no cache (the API thread keeps answers). */
class ThreadQueries extends RunnerQueries {
  position = 0;

  constructor(private readonly connection: AsOfConnection) {
    super();
  }

  protected override get talliesFromPersons(): boolean {
    return true;
  }

  protected get running(): ReadModelSource {
    this.connection.point(this.position);
    return {
      db: this.connection.db,
      reached: this.position,
      waitFor: () => Promise.resolve(),
      stop: () => Promise.resolve(),
    };
  }
}

type Args<K extends keyof RunnerQueries> = RunnerQueries[K] extends (...a: infer A) => unknown ? A : never;

/** The queries a job may name: those the as-of answers keep (ReadModelsAsOf.answer). */
const QUERIES: Readonly<Record<string, (q: RunnerQueries, args: readonly unknown[]) => unknown>> = {
  personsReached: (q, a) => q.personsReached(...(a as Args<'personsReached'>)),
  activityVolumes: (q, a) => q.activityVolumes(...(a as Args<'activityVolumes'>)),
  coordinatorServices: (q, a) => q.coordinatorServices(...(a as Args<'coordinatorServices'>)),
  spendingBetween: (q, a) => q.spendingBetween(...(a as Args<'spendingBetween'>)),
  budget: (q, a) => q.budget(...(a as Args<'budget'>)),
  verifiedExpenditures: (q, a) => q.verifiedExpenditures(...(a as Args<'verifiedExpenditures'>)),
};

function run(queries: ThreadQueries, connection: AsOfConnection, job: AsOfJob): FromAsOfThread {
  // A test holds the thread here to see the API answer meanwhile.
  if (gate) Atomics.wait(gate, 0, 0);
  const query = Object.hasOwn(QUERIES, job.query) ? QUERIES[job.query] : undefined;
  if (!query) return { id: job.id, ok: false, message: `not an as-of query: ${job.query}` };
  queries.position = job.position;
  return queries.consistently(() => {
    const erasures = connection.erasures();
    const started = performance.now();
    const value = query(queries, job.args);
    return { id: job.id, ok: true, value, erasures, ms: performance.now() - started };
  });
}

try {
  // Whether the file can be read (not replayed in place) the API's thread checks before asking.
  const connection: AsOfConnection = new AsOfConnection(file, () => ({
    db: connection.db,
    reached: 0,
    waitFor: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  }));
  const queries = new ThreadQueries(connection);
  port.on('message', (job: AsOfJob) => {
    try {
      port.postMessage(run(queries, connection, job));
    } catch (e) {
      port.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ ready: false, message: e instanceof Error ? e.message : String(e) });
}
