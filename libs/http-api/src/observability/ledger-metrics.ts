import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { READ_MODELS } from '@ihl/application';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import type { ReadModels } from '@ihl/runtime';
import { JobQueue } from '../jobs/job-queue.provider';

/** What the SQLite store offers beyond the port (EventStoreDB does not count commits itself). */
interface CountingStore {
  stats(): { commits: number; appends: number; events: number };
  observeCommits(listener: (appends: number) => void): () => void;
}

function counting(store: EventStore): (EventStore & CountingStore) | null {
  const s = store as EventStore & Partial<CountingStore>;
  return typeof s.stats === 'function' && typeof s.observeCommits === 'function'
    ? (s as EventStore & CountingStore)
    : null;
}

const JOB_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;

/**
 * The api's Prometheus metrics (prom-client), one registry per app. Counters of the store and the
 * positions are read when scraped, so nothing is counted twice; the HTTP histogram and the group
 * sizes are observed as they happen.
 */
@Injectable()
export class LedgerMetrics implements OnModuleDestroy {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly unobserve: () => void;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    private readonly jobs: JobQueue,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'ihl_process_' });
    this.httpDuration = new Histogram({
      name: 'ihl_http_request_duration_seconds',
      help: 'HTTP answers by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.unobserve = this.storeMetrics();
    this.positionMetrics();
    this.jobMetrics();
  }

  onModuleDestroy(): void {
    this.unobserve();
  }

  /** Appends, events and commits (counted by the store since it opened), and each commit's size. */
  private storeMetrics(): () => void {
    const store = counting(this.store);
    if (!store) return () => undefined;
    const totals = (name: string, help: string, key: 'commits' | 'appends' | 'events') =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(store.stats()[key]);
        },
      });
    totals('ihl_event_store_commits_total', 'write transactions committed (one fsync each)', 'commits');
    totals('ihl_event_store_appends_total', 'appends committed (one per write request)', 'appends');
    totals('ihl_event_store_events_total', 'events appended', 'events');
    const groups = new Histogram({
      name: 'ihl_event_store_group_commit_appends',
      help: 'appends sharing one group commit',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers: [this.registry],
    });
    return store.observeCommits((appends) => groups.observe(appends));
  }

  /** The log's head and how far the read models' checkpoint is behind it. */
  private positionMetrics(): void {
    const { store, readModels } = this;
    new Gauge({
      name: 'ihl_event_store_head_position',
      help: "the log's head position (absent while the store does not answer)",
      registers: [this.registry],
      async collect() {
        try {
          this.set(await store.headPosition());
        } catch {
          this.reset();
        }
      },
    });
    new Gauge({
      name: 'ihl_projection_lag_positions',
      help: "head position minus the read models' checkpoint (all projections share one checkpoint)",
      labelNames: ['projection'],
      registers: [this.registry],
      async collect() {
        try {
          const head = await store.headPosition();
          this.set({ projection: 'read-models' }, Math.max(0, head - readModels.status.reached));
        } catch {
          this.reset();
        }
      },
    });
  }

  /** BullMQ's counts per state, when Redis is configured and answers. */
  private jobMetrics(): void {
    const producer = this.jobs.producer;
    if (!producer) return;
    // The two gauges are collected concurrently: one count in flight serves both.
    let inflight: Promise<Awaited<ReturnType<typeof producer.counts>> | null> | null = null;
    const counts = () =>
      (inflight ??= producer
        .counts()
        .catch(() => null)
        .finally(() => (inflight = null)));
    new Gauge({
      name: 'ihl_job_queue_up',
      help: '1 when Redis answered the count of jobs, else 0',
      registers: [this.registry],
      async collect() {
        this.set((await counts()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ihl_jobs',
      help: 'jobs of the queue by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const c = await counts();
        this.reset();
        if (c) for (const state of JOB_STATES) this.set({ queue: 'ledger', state }, c[state]);
      },
    });
  }
}
