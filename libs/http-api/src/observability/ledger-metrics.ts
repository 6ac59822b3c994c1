import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { READ_MODELS, StreamWriter } from '@ihl/application';
import { EVENT_STORE, type AppendStats, type EventStore } from '@ihl/event-store';
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

/** What the EventStoreDB store offers: its appends as it saw them answered (no commits of its own). */
interface TimedStore {
  appendStats(): AppendStats;
  observeAppends(listener: (seconds: number) => void): () => void;
}

function timed(store: EventStore): (EventStore & TimedStore) | null {
  const s = store as EventStore & Partial<TimedStore>;
  return typeof s.appendStats === 'function' && typeof s.observeAppends === 'function'
    ? (s as EventStore & TimedStore)
    : null;
}

const JOB_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;

/**
 * The api's Prometheus metrics (prom-client), one registry per app. Counters of the store and the
 * positions are read when scraped, so nothing is counted twice; the HTTP histogram and the group
 * sizes are observed as they happen.
 */
@Injectable()
export class LedgerMetrics implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly unobserve: () => void;
  private readonly unobserveAppends: () => void;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    private readonly jobs: JobQueue,
    private readonly modules: ModuleRef,
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
    this.unobserveAppends = this.esdbMetrics();
    this.positionMetrics();
    this.jobMetrics();
  }

  onModuleInit(): void {
    this.gateMetrics();
  }

  onModuleDestroy(): void {
    this.unobserve();
    this.unobserveAppends();
  }

  /** A total kept elsewhere since start, read when scraped (so nothing is counted twice). */
  private scrapedTotal(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }

  /** Appends, events and commits (counted by the store since it opened), and each commit's size. */
  private storeMetrics(): () => void {
    const store = counting(this.store);
    if (!store) return () => undefined;
    const totals = (name: string, help: string, key: 'commits' | 'appends' | 'events') =>
      this.scrapedTotal(name, help, () => store.stats()[key]);
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

  /**
   * EventStoreDB's appends: the same names as SQLite's for appends and events; its refused appends
   * by reason and each landed append's time, as this process saw them answered.
   */
  private esdbMetrics(): () => void {
    const store = timed(this.store);
    if (!store) return () => undefined;
    const totals = (name: string, help: string, key: 'appends' | 'events') =>
      this.scrapedTotal(name, help, () => store.appendStats()[key]);
    totals('ihl_event_store_appends_total', 'appends that landed (one per stream written)', 'appends');
    totals('ihl_event_store_events_total', 'events appended', 'events');
    new Counter({
      name: 'ihl_event_store_append_errors_total',
      help: 'appends refused: conflict (expected revision or event id), unavailable (server not reached), other',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(store.appendStats().errors)) this.inc({ reason }, n);
      },
    });
    const durations = new Histogram({
      name: 'ihl_event_store_append_duration_seconds',
      help: 'time from an append sent to its answer (landed appends only)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    return store.observeAppends((seconds) => durations.observe(seconds));
  }

  /** Failed exits from a project's period gate (EventStoreDB): each held that project's locks back. */
  private gateMetrics(): void {
    // The application module keeps its write path to itself: found across modules, once all exist.
    const writer = this.modules.get(StreamWriter, { strict: false });
    this.scrapedTotal(
      'ihl_period_gate_leaves_failed_total',
      "exits from a project's period gate that failed (its locks waited up to the gate's horizon)",
      () => writer.gateLeavesFailed,
    );
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
