import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job, Worker } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isJobName } from './job-registry';

type Outcome = 'completed' | 'failed';

export interface WorkerMetricsOptions {
  /**
   * With LEDGER_PROJECTIONS=worker: how many positions the read models this worker feeds are behind
   * the log's head (null while the store does not answer).
   */
  readonly readModelsLag?: () => Promise<number | null>;
}

/**
 * The worker's own Prometheus metrics: the jobs it ran by queue, job and outcome, how long each took,
 * and, when it feeds the read models, their lag. The api's `/metrics` counts the queue's jobs by
 * state; this says what one worker did with them.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly jobs: Counter<'queue' | 'job' | 'outcome'>;
  private readonly durations: Histogram<'queue' | 'job' | 'outcome'>;

  constructor(options: WorkerMetricsOptions = {}) {
    collectDefaultMetrics({ register: this.registry, prefix: 'ihl_worker_' });
    this.jobs = new Counter({
      name: 'ihl_worker_jobs_total',
      help: 'jobs this worker ran, by queue, job name and outcome (a failed attempt counts once)',
      labelNames: ['queue', 'job', 'outcome'],
      registers: [this.registry],
    });
    this.durations = new Histogram({
      name: 'ihl_worker_job_duration_seconds',
      help: 'from a job taken by this worker to its end, by queue, job name and outcome',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [this.registry],
    });
    const lag = options.readModelsLag;
    if (lag) {
      new Gauge({
        name: 'ihl_projection_lag_positions',
        help: "head position minus the read models' checkpoint, of the read models this worker feeds",
        labelNames: ['projection'],
        registers: [this.registry],
        async collect() {
          const behind = await lag().catch(() => null);
          this.reset();
          if (behind !== null) this.set({ projection: 'read-models' }, behind);
        },
      });
    }
  }

  /** Counts what `worker` ends from now on. */
  observe(worker: Worker): void {
    worker.on('completed', (job) => this.record(job, 'completed'));
    worker.on('failed', (job) => {
      if (job) this.record(job, 'failed');
    });
  }

  /** Serves GET /metrics on host:port; resolves with the server once it listens. */
  async serve(host: string, port: number): Promise<{ server: Server; url: string }> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { server, url: `http://${shown}:${address.port}/metrics` };
  }

  private record(job: Job, outcome: Outcome): void {
    // Only the registry's names: a name put on the queue by anyone else cannot grow the label set.
    const labels = { queue: job.queueName, job: isJobName(job.name) ? job.name : 'unknown', outcome };
    this.jobs.inc(labels);
    if (job.processedOn !== undefined && job.finishedOn !== undefined)
      this.durations.observe(labels, Math.max(0, job.finishedOn - job.processedOn) / 1000);
  }
}
