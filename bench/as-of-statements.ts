/**
 * Where an as-of answer's time goes, statement by statement, on a kept read-model file (the as-of
 * bench's BENCH_ASOF_KEEP folder): for positions spread over the file, each figure's query function
 * as of a position never read before on a fresh read-only connection with the as-of views, its
 * statements timed one by one (wall and CPU), and each statement's EXPLAIN QUERY PLAN once. No
 * HTTP, no cache: the SQL alone, which is what a busy host disturbs least (CPU time).
 *
 *   npx tsx bench/as-of-statements.ts <read-models.sqlite> [positions=30]
 */
import Database from 'better-sqlite3';
import {
  activityVolumes,
  budgetOf,
  createAsOfViews,
  personsReached,
  personsTallies,
  positionAtEndOfHour,
} from '@ihl/projections';

const PROJECT = '07-003-P-0001';
const PARTNER = process.env['BENCH_ASOF_PARTNER'] ?? 'visaginas-spc';

interface Timing {
  wall: number[];
  cpu: number[];
}

function timedSql(db: Database.Database, timings: Map<string, Timing>) {
  const prepared = new Map<string, Database.Statement>();
  const timed =
    <A extends unknown[], R>(source: string, run: (...args: A) => R) =>
    (...args: A): R => {
      const t = performance.now();
      const c = process.cpuUsage();
      try {
        return run(...args);
      } finally {
        const cpu = process.cpuUsage(c);
        let entry = timings.get(source);
        if (!entry) timings.set(source, (entry = { wall: [], cpu: [] }));
        entry.wall.push(performance.now() - t);
        entry.cpu.push((cpu.user + cpu.system) / 1000);
      }
    };
  return {
    prepare(source: string): Database.Statement {
      let s = prepared.get(source);
      if (s) return s;
      s = db.prepare(source);
      s.all = timed(source, s.all.bind(s));
      s.get = timed(source, s.get.bind(s));
      prepared.set(source, s);
      return s;
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (xs: number[]) =>
  `min ${Math.min(...xs).toFixed(1)} / median ${median(xs).toFixed(1)} / max ${Math.max(...xs).toFixed(1)}`;

function report(name: string, db: Database.Database, totals: Timing, timings: Map<string, Timing>): void {
  console.log(`\n== ${name}: ${totals.wall.length} positions, wall ms ${fmt(totals.wall)}; CPU ms ${fmt(totals.cpu)}`);
  for (const [source, t] of timings) {
    console.log(`-- ${source.replace(/\s+/g, ' ').slice(0, 220)}`);
    console.log(`   wall ms ${fmt(t.wall)}; CPU ms ${fmt(t.cpu)}`);
    const args = Array(source.split('?').length - 1).fill(PROJECT);
    for (const r of db.prepare(`explain query plan ${source}`).all(...args) as { detail: string }[])
      console.log(`   plan: ${r.detail}`);
  }
  db.close();
}

function main(): void {
  const [file, count = '30'] = process.argv.slice(2);
  if (!file) throw new Error('usage: as-of-statements.ts <read-models.sqlite> [positions]');
  const live = new Database(file, { readonly: true, fileMustExist: true });
  const head = (live.prepare('select max(h_from) as h from records_v').get() as { h: number }).h;
  const hours = live.prepare('select hour from timeline_hours order by hour').pluck().all() as string[];
  live.close();
  const n = Number(count);
  // From 1 % into the log (the project is registered by then), none read twice.
  const positions = Array.from({ length: n }, (_, i) => Math.floor(head / 100 + ((i + 0.37) * head * 0.99) / n));
  const figures: Record<string, (sql: ReturnType<typeof timedSql>) => unknown> = {
    'progress, tallies from the SQL views': (sql) => personsReached(sql, PROJECT, undefined, { entrants: false }),
    'progress, tallies counted from the persons': (sql) =>
      personsReached(sql, PROJECT, undefined, { entrants: false }, personsTallies(sql)),
    "a partner's own progress, counted from the persons": (sql) =>
      personsReached(sql, PROJECT, PARTNER, { entrants: false }, personsTallies(sql)),
    activityVolumes: (sql) => activityVolumes(sql, PROJECT),
    budget: (sql) => budgetOf(sql, PROJECT),
  };
  // Each figure on its own connection, the figures taken in turn at each position (interleaved, so
  // that the host's load falls on all of them alike).
  const runs = Object.entries(figures).map(([name, read]) => {
    const point = { at: 0 };
    const db = new Database(file, { readonly: true, fileMustExist: true });
    createAsOfViews(db, () => point.at);
    const timings = new Map<string, Timing>();
    return { name, read, point, db, timings, sql: timedSql(db, timings), totals: { wall: [], cpu: [] } as Timing };
  });
  positions.forEach((p, i) => {
    for (const run of [...runs.slice(i % runs.length), ...runs.slice(0, i % runs.length)]) {
      run.point.at = p;
      const t = performance.now();
      const c = process.cpuUsage();
      run.db.exec('begin');
      run.read(run.sql);
      run.db.exec('commit');
      const cpu = process.cpuUsage(c);
      run.totals.wall.push(performance.now() - t);
      run.totals.cpu.push((cpu.user + cpu.system) / 1000);
    }
  });
  for (const run of runs) report(run.name, run.db, run.totals, run.timings);
  // The day → position lookup: one seek per hour end.
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const sql = timedSql(db, new Map());
  const t = performance.now();
  for (let i = 0; i < n; i++) positionAtEndOfHour(sql, hours[Math.floor((i * hours.length) / n)]!);
  console.log(`\n== day -> position: ${((performance.now() - t) / n).toFixed(3)} ms each`);
  db.close();
}

main();
