/**
 * Tiny shared vocabulary for benchmarks: a suite returns one result per workload, each comparing the
 * subject (our code) with a baseline measured in the same process and the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measurement {
  readonly label: string;
  /** One rate per repetition, in run order. */
  readonly samples: number[];
  readonly median: number;
}

export interface WorkloadResult {
  readonly id: string;
  readonly title: string;
  /** Unit of the rates, e.g. "events/s" (higher is better). */
  readonly unit: string;
  readonly baseline: Measurement;
  readonly subject: Measurement;
  /** median(subject) / median(baseline). */
  readonly ratio: number;
  /** subject/baseline of each interleaved pair, in run order. */
  readonly pairRatios: number[];
  readonly goal: { readonly minRatio: number };
  readonly pass: boolean;
  /** Anything else worth reading next to the rates (group size, ms per commit, ...). */
  readonly details: Record<string, number | string>;
  /** Further goals of the workload that are not a rate ratio (memory, latency). */
  readonly checks?: readonly GoalCheck[];
  /** Further baselines measured in the same interleaved repetitions, reported without a goal. */
  readonly otherBaselines?: readonly OtherBaseline[];
}

export interface OtherBaseline {
  readonly baseline: Measurement;
  /** median(subject) / median(this baseline). */
  readonly ratio: number;
  readonly pairRatios: number[];
}

export interface GoalCheck {
  readonly title: string;
  /** The measured value as printed, with its unit. */
  readonly measured: string;
  readonly goal: string;
  readonly pass: boolean;
}

export interface BenchmarkSuite {
  readonly name: string;
  run(log: (line: string) => void): Promise<WorkloadResult[]>;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function measurement(label: string, samples: number[]): Measurement {
  return { label, samples, median: median(samples) };
}

/** A fresh folder under os.tmpdir(); `dispose` removes it with everything in it. */
export function freshDir(prefix: string): {
  dir: string;
  file: (name: string) => string;
  dispose: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name) => join(dir, name),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Collect garbage between runs when node was started with --expose-gc; otherwise a no-op. */
export function maybeGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** Deterministic PRNG (mulberry32) so every run writes the same content. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fmtRate(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : String(x);
}
