/**
 * Audit pages on the bench's large log (the one ledger.bench.ts writes, cached): `GET /audit`'s query
 * (GetFigureEventsQuery through the QueryBus, as the controller sends it) for the agency's persons
 * reached and for one partner's, the first page and a deep one (90% of the way through the scope),
 * by page number and by cursor (`after`), against the live progress query (GetProgressQuery) in the
 * same run. The read models are replayed from 0 into a fresh folder first (untimed).
 *
 * BENCH_QUICK=1: the 20,000-event log.
 */
import Database from 'better-sqlite3';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { GetFigureEventsQuery, GetProgressQuery, type Actor, type FigureEventsView } from '@ihl/application';
import { SqliteEventStore } from '@ihl/event-store';
import { LedgerCoreModule, currentReadModelFile } from '@ihl/runtime';
import { type BenchmarkSuite, type GoalCheck, type WorkloadResult, freshDir, measurement, percentile } from './harness';
import { cachedLedgerLog } from './ledger-log.cache';
import { BENCH_PRIVACY, type LogSpec } from './ledger-log.generator';

const QUICK = process.env['BENCH_QUICK'] === '1';
const SPEC: LogSpec = QUICK
  ? { seed: 42, targetEvents: 20_000, partners: 12, persons: 100 }
  : { seed: 42, targetEvents: 1_000_000, partners: 60, persons: 5_000 };
const CODE = '07-003-P-0001';
const AGENCY: Actor = { subject: 'bench-auditor', role: 'agency-auditor' };
const RUNS = { warmup: QUICK ? 5 : 20, iterations: QUICK ? 100 : 300 };
const PAGE_SIZE = 50;
const GOAL_P99_MS = 10;
/** BENCH_AUDIT_UNMARKED=0: the pages by number with their marks only (the deep ones take minutes without). */
const UNMARKED = process.env['BENCH_AUDIT_UNMARKED'] !== '0';

/** Takes the audit marks out of the read models (into a side table) and puts them back. */
interface MarksSwitch {
  off(): void;
  on(): void;
}

function marksSwitch(file: string): MarksSwitch & { close(): void } {
  const db = new Database(file);
  db.pragma('busy_timeout = 60000');
  return {
    off: () => db.exec('create table bench_marks as select * from audit_marks; delete from audit_marks'),
    on: () => db.exec('insert into audit_marks select * from bench_marks; drop table bench_marks'),
    close: () => db.close(),
  };
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
}

async function latency(run: () => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < RUNS.warmup; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < RUNS.iterations; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

/** The audit workloads of one scope (every partner, or one): first and deep page, by number and by cursor. */
async function scopeLatencies(
  bus: QueryBus,
  marks: MarksSwitch,
  label: string,
  partnerId: string | undefined,
  log: (line: string) => void,
): Promise<Record<string, Latency>> {
  const page = (at: { page: number } | { after: number }) =>
    bus.execute<GetFigureEventsQuery, FigureEventsView>(
      new GetFigureEventsQuery({
        projectCode: CODE,
        actor: AGENCY,
        figure: 'persons-reached',
        filters: partnerId ? { partnerId } : {},
        pageSize: PAGE_SIZE,
        ...('page' in at ? { page: at.page } : { page: 1, after: at.after }),
      }),
    );
  const total = (await page({ page: 1 })).totalEvents;
  const deep = Math.max(1, Math.ceil((total / PAGE_SIZE) * 0.9));
  const last = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const deepFirst = (await page({ page: deep })).events[0]?.position ?? 1;
  log(`  ${label}: ${total.toLocaleString('en-US')} events, deep page ${deep}, last page ${last}`);
  const result: Record<string, Latency> = {};
  // Each page by number also without the marks (the path before them, and still a category's), right after.
  for (const n of [1, deep, last]) {
    const answer = JSON.stringify(await page({ page: n }));
    result[`${label}, page ${n}`] = await latency(() => page({ page: n }));
    if (!UNMARKED) continue;
    marks.off();
    if (JSON.stringify(await page({ page: n })) !== answer) throw new Error(`page ${n}: not the same without marks`);
    result[`${label}, page ${n} without marks`] = await latency(() => page({ page: n }));
    marks.on();
  }
  result[`${label}, after=0`] = await latency(() => page({ after: 0 }));
  result[`${label}, after=${deepFirst - 1} (page ${deep})`] = await latency(() => page({ after: deepFirst - 1 }));
  for (const [name, l] of Object.entries(result))
    log(`  ${name.padEnd(44)} p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`);
  return result;
}

async function auditWorkload(log: (line: string) => void): Promise<WorkloadResult> {
  const { eventsFile, summary } = await cachedLedgerLog(SPEC, log);
  const work = freshDir('ihl-bench-audit-');
  const store = new SqliteEventStore({ file: eventsFile });
  const app = await NestFactory.createApplicationContext(
    LedgerCoreModule.forRoot({
      dataDir: work.dir,
      eventStore: store,
      clock: { now: () => new Date('2026-12-31T12:00:00Z') },
      readModels: true,
      privacy: BENCH_PRIVACY,
    }),
    { logger: false },
  );
  try {
    const bus = app.get(QueryBus);
    const progress = () => bus.execute(new GetProgressQuery({ projectCode: CODE, actor: AGENCY }));
    // Untimed: the replay from 0 of the fresh read models, until they hold the whole log.
    const t = performance.now();
    await bus.execute(
      new GetProgressQuery({ projectCode: CODE, actor: AGENCY, atLeastPosition: summary.events, waitMs: 3_600_000 }),
    );
    log(`  read models replayed in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const live = await latency(progress);
    log(`  GetProgressQuery (baseline)                  p50 ${live.p50.toFixed(2)} ms, p99 ${live.p99.toFixed(2)} ms`);
    const first = await bus.execute<GetFigureEventsQuery, FigureEventsView>(
      new GetFigureEventsQuery({
        projectCode: CODE,
        actor: AGENCY,
        figure: 'persons-reached',
        filters: {},
        page: 1,
        pageSize: 1,
      }),
    );
    const actor = first.events[0]?.actor;
    const partnerId =
      actor && typeof actor === 'object' && !Array.isArray(actor) && typeof actor['partnerId'] === 'string'
        ? actor['partnerId']
        : undefined;
    const marks = marksSwitch(currentReadModelFile(work.dir));
    const all = {
      ...(await scopeLatencies(bus, marks, 'agency', undefined, log)),
      ...(await scopeLatencies(bus, marks, `partner ${partnerId ?? '?'}`, partnerId, log)),
    };
    marks.close();
    const cursorDeep = Object.entries(all).filter(([name]) => name.includes('after=') && !name.includes('after=0'));
    const worst = cursorDeep.reduce((a, [, l]) => Math.max(a, l.p50), 0);
    const checks: GoalCheck[] = Object.entries(all)
      .filter(([name]) => !name.includes('without marks'))
      .map(([name, l]) => ({
        title: `audit ${name}`,
        measured: `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms (progress p50 ${live.p50.toFixed(2)} ms: ${(l.p50 / live.p50).toFixed(1)}x)`,
        goal: `p99 <= ${GOAL_P99_MS} ms`,
        pass: l.p99 <= GOAL_P99_MS,
      }));
    const subject = measurement('audit deep cursor page, slowest scope (queries/s at p50)', [1000 / worst]);
    const baseline = measurement('GetProgressQuery (queries/s at p50)', [1000 / live.p50]);
    return {
      id: 'audit-pages',
      title: `Audit pages at ${summary.events.toLocaleString('en-US')} events (no ratio goal: p99 in the checks)`,
      unit: 'queries/s',
      baseline,
      subject,
      ratio: subject.median / baseline.median,
      pairRatios: [],
      goal: { minRatio: 0 },
      pass: checks.every((c) => c.pass),
      details: Object.fromEntries(
        Object.entries(all).map(([n, l]) => [n, `${l.p50.toFixed(2)} / ${l.p99.toFixed(2)} ms`]),
      ),
      checks,
    };
  } finally {
    await app.close();
    await store.close();
    work.dispose();
  }
}

export const auditBenchmarks: BenchmarkSuite = {
  name: 'audit (pages and totals on a large log)',
  async run(log) {
    log(`audit pages${QUICK ? ' (BENCH_QUICK)' : ''}`);
    return [await auditWorkload(log)];
  },
};
