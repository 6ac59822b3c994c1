/**
 * File imports: N rows (one in five a home visit with a personal code, the rest promotion events)
 * imported with the engine from a CSV and from an XLSX, against the same rows sent directly as
 * batched appends (RecordActivitiesBatchCommand, 500 a batch, the engine's chunk), each into a fresh
 * ledger, interleaved in the same run. Goal: import ≥ 0.5× the direct rate. Then the peak RSS of a
 * 100,000-row import of each format, each in its own process, beside a 10,000-row one (memory must
 * not grow with the file: the parsers stream, and only a chunk is held).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordActivitiesBatchCommand, type BatchItem } from '@ihl/application';
import { importRowValidatorModule } from '@ihl/http-api';
import { runImport, warmRowJudge } from '@ihl/imports';
import {
  type BenchmarkSuite,
  type GoalCheck,
  type WorkloadResult,
  freshDir,
  maybeGc,
  measurement,
  median,
} from './harness';
import { PARTNER, PARTNER_ACTOR, benchItem, freshLedger, writeCsv, writeXlsx } from './import-ledger';

const QUICK = process.env['BENCH_QUICK'] === '1';
const CONFIG = {
  rows: QUICK ? 2_000 : 20_000,
  repetitions: QUICK ? 1 : 3,
  warmUpRows: 1_000,
  memoryRows: QUICK ? [2_000, 10_000] : [10_000, 100_000],
  goal: 0.5,
  /** Peak RSS of the large import over the small one's. */
  rssGrowth: 1.5,
  /** V8's old space for the capped run of the large import. */
  cappedOldSpaceMiB: 128,
};
const CHUNK = 500;
const MiB = 2 ** 20;

/** CPU time so far, µs: the whole process (every thread) and its main thread alone (Linux: /proc). */
function cpuNow(): { process: number; main: number } {
  const u = process.cpuUsage();
  let main = Number.NaN;
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks of 10 ms, after the command's closing parenthesis.
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    main = (Number(f[11]) + Number(f[12])) * 10_000;
  } catch {
    // Not Linux: the main thread's share is not reported.
  }
  return { process: u.user + u.system, main };
}

/** One timed run: rows/s, and CPU µs a row for the process and for its main thread. */
interface Sample {
  readonly rate: number;
  readonly cpu: number;
  readonly mainCpu: number;
}

function timedian(rows: number, started: number, cpu0: { process: number; main: number }): Sample {
  const cpu1 = cpuNow();
  return {
    rate: rows / ((performance.now() - started) / 1000),
    cpu: (cpu1.process - cpu0.process) / rows,
    mainCpu: (cpu1.main - cpu0.main) / rows,
  };
}

async function direct(rows: number): Promise<Sample> {
  const d = freshDir('ihl-bench-import-direct-');
  const ledger = await freshLedger(d.dir);
  try {
    const items: BatchItem[] = Array.from({ length: rows }, (_, i) => benchItem(i));
    maybeGc();
    const cpu0 = cpuNow();
    const started = performance.now();
    for (let i = 0; i < items.length; i += CHUNK)
      await ledger.bus.execute(
        new RecordActivitiesBatchCommand(ledger.code, PARTNER, items.slice(i, i + CHUNK), {
          actor: PARTNER_ACTOR,
          correlationId: `bench-${i}`,
        }),
      );
    return timedian(rows, started, cpu0);
  } finally {
    await ledger.close();
    d.dispose();
  }
}

async function viaImport(file: string, format: 'csv' | 'xlsx', rows: number): Promise<Sample> {
  const d = freshDir('ihl-bench-import-');
  const ledger = await freshLedger(d.dir);
  try {
    maybeGc();
    const cpu0 = cpuNow();
    const started = performance.now();
    const s = await runImport(
      {
        importId: `00000000-0000-4000-8000-00000000000${format === 'csv' ? 1 : 2}`,
        projectCode: ledger.code,
        partnerId: PARTNER,
        actor: PARTNER_ACTOR,
        file,
        format,
        dryRun: false,
      },
      ledger.deps(join(d.dir, 'imports')),
    );
    if (s.imported !== rows) throw new Error(`import wrote ${s.imported} of ${rows} rows (${s.rejected} refused)`);
    return timedian(rows, started, cpu0);
  } finally {
    await ledger.close();
    d.dispose();
  }
}

/**
 * One short untimed run of each side: the first use of the command path, class-validator's
 * metadata, csv-parse and exceljs would otherwise be charged to whichever side runs first. The
 * import's row thread is started and loaded too, as a running worker's pool holds it.
 */
async function warmUp(dir: string): Promise<void> {
  if (!(await warmRowJudge(importRowValidatorModule))) throw new Error('the import row thread did not load');
  const csv = join(dir, 'warm-up.csv');
  const xlsx = join(dir, 'warm-up.xlsx');
  await writeCsv(csv, CONFIG.warmUpRows);
  await writeXlsx(xlsx, CONFIG.warmUpRows);
  await direct(CONFIG.warmUpRows);
  await viaImport(csv, 'csv', CONFIG.warmUpRows);
  await viaImport(xlsx, 'xlsx', CONFIG.warmUpRows);
}

interface ChildResult {
  readonly rows: number;
  readonly seconds: number;
  readonly rssBeforeBytes: number;
  readonly peakSampledRssBytes: number;
  readonly maxRssBytes: number;
}

function child(dir: string, file: string, format: 'csv' | 'xlsx', nodeArgs: string[] = []): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [...nodeArgs, '--expose-gc', '--import', 'tsx', join(__dirname, 'import.child.ts'), dir, file, format],
      {
        cwd: join(__dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`import child: ${err}`)),
    );
  });
}

async function memory(
  format: 'csv' | 'xlsx',
  log: (line: string) => void,
): Promise<{ checks: GoalCheck[]; details: Record<string, string> }> {
  const results: ChildResult[] = [];
  let capped: ChildResult | null = null;
  for (const rows of CONFIG.memoryRows) {
    const d = freshDir('ihl-bench-import-rss-');
    try {
      const file = join(d.dir, `rows.${format}`);
      if (format === 'csv') await writeCsv(file, rows);
      else await writeXlsx(file, rows);
      const r = await child(d.dir, file, format);
      if (rows === CONFIG.memoryRows[1]) {
        // The same import with V8's old space capped: it completes only if memory is bounded.
        capped = await child(d.dir, file, format, [`--max-old-space-size=${CONFIG.cappedOldSpaceMiB}`]).then(
          (c) => c,
          () => null,
        );
      }
      log(
        `  ${format} ${rows.toLocaleString('en-US')} rows in a child: ${r.seconds.toFixed(1)} s, peak RSS ${(r.maxRssBytes / MiB).toFixed(0)} MiB (${(r.rssBeforeBytes / MiB).toFixed(0)} MiB before the import)`,
      );
      results.push(r);
    } finally {
      d.dispose();
    }
  }
  const [small, large] = results as [ChildResult, ChildResult];
  const growth = large.maxRssBytes / small.maxRssBytes;
  const label = (r: ChildResult) => `${r.rows.toLocaleString('en-US')} rows`;
  return {
    checks: [
      {
        title: `${format}: peak RSS of ${label(large)} over ${label(small)}`,
        measured: `${growth.toFixed(2)}x (${(large.maxRssBytes / MiB).toFixed(0)} vs ${(small.maxRssBytes / MiB).toFixed(0)} MiB)`,
        goal: `<= ${CONFIG.rssGrowth}x`,
        pass: growth <= CONFIG.rssGrowth,
      },
      {
        title: `${format}: ${label(large)} with --max-old-space-size=${CONFIG.cappedOldSpaceMiB}`,
        measured: capped ? `completed, peak RSS ${(capped.maxRssBytes / MiB).toFixed(0)} MiB` : 'did not complete',
        goal: 'completes',
        pass: capped !== null,
      },
    ],
    details: {
      [`peakRssMiB_${large.rows}`]: (large.maxRssBytes / MiB).toFixed(0),
      [`peakRssMiB_${small.rows}`]: (small.maxRssBytes / MiB).toFixed(0),
      [`rowsPerSecond_${large.rows}`]: (large.rows / large.seconds).toFixed(0),
    },
  };
}

/**
 * CPU a row, medians: what a busy host cannot hide. The import's process CPU includes its row
 * thread's; its main thread's is what the batch commands wait on.
 */
function cpuDetails(base: Sample[], subject: Sample[]): Record<string, string> {
  const direct = median(base.map((s) => s.cpu));
  const directMain = median(base.map((s) => s.mainCpu));
  const cpu = median(subject.map((s) => s.cpu));
  const main = median(subject.map((s) => s.mainCpu));
  return {
    cpuPerRowDirectUs: direct.toFixed(0),
    cpuPerRowDirectMainThreadUs: directMain.toFixed(0),
    cpuPerRowImportUs: cpu.toFixed(0),
    cpuPerRowImportMainThreadUs: main.toFixed(0),
    cpuRatioDirectOverImport: (direct / cpu).toFixed(2),
    mainThreadCpuRatioDirectOverImport: (directMain / main).toFixed(2),
  };
}

export const importBenchmarks: BenchmarkSuite = {
  name: 'import',
  async run(log) {
    const d = freshDir('ihl-bench-import-files-');
    try {
      const csv = join(d.dir, 'rows.csv');
      const xlsx = join(d.dir, 'rows.xlsx');
      await writeCsv(csv, CONFIG.rows);
      await writeXlsx(xlsx, CONFIG.rows);
      await warmUp(d.dir);
      const base: Sample[] = [];
      const fromCsv: Sample[] = [];
      const fromXlsx: Sample[] = [];
      const sides = [
        () => direct(CONFIG.rows).then((r) => base.push(r)),
        () => viaImport(csv, 'csv', CONFIG.rows).then((r) => fromCsv.push(r)),
        () => viaImport(xlsx, 'xlsx', CONFIG.rows).then((r) => fromXlsx.push(r)),
      ];
      for (let rep = 0; rep < CONFIG.repetitions; rep++) {
        // The order rotates, so that a drift of the machine's load hits every side.
        for (let k = 0; k < sides.length; k++) await sides[(rep + k) % sides.length]!();
        const show = (s: Sample) =>
          `${s.rate.toFixed(0)} rows/s (CPU ${s.cpu.toFixed(0)} µs a row, main thread ${s.mainCpu.toFixed(0)})`;
        log(`  rep ${rep + 1}: direct ${show(base[rep]!)}, csv ${show(fromCsv[rep]!)}, xlsx ${show(fromXlsx[rep]!)}`);
      }
      const rates = (s: Sample[]) => s.map((x) => x.rate);
      const baseline = measurement(`batched appends (${CHUNK} a batch)`, rates(base));
      const results: WorkloadResult[] = [];
      for (const [format, samples] of [
        ['csv', fromCsv],
        ['xlsx', fromXlsx],
      ] as const) {
        const subject = measurement(`import ${format}`, rates(samples));
        const mem = await memory(format, log);
        const ratio = subject.median / baseline.median;
        results.push({
          id: `import-${format}`,
          title: `import ${CONFIG.rows.toLocaleString('en-US')} rows from ${format.toUpperCase()}`,
          unit: 'rows/s',
          baseline,
          subject,
          ratio,
          pairRatios: samples.map((s, i) => s.rate / base[i]!.rate),
          goal: { minRatio: CONFIG.goal },
          pass: ratio >= CONFIG.goal && mem.checks.every((c) => c.pass),
          details: { rows: CONFIG.rows, chunk: CHUNK, ...cpuDetails(base, samples), ...mem.details },
          checks: mem.checks,
        });
      }
      return results;
    } finally {
      d.dispose();
    }
  },
};
