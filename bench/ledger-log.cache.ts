/**
 * Generated logs are cached under bench/results/cache/, one folder per seed, size and generator
 * version: a re-run reuses the log instead of spending minutes writing it again. bench/results/ is
 * ignored by git, Prettier and the dependency rules, so gigabyte files there bother no check.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATOR_VERSION, generateLedgerLog, type LogSpec, type LogSummary } from './ledger-log.generator';

export const CACHE_DIR = join(__dirname, 'results', 'cache');

export interface CachedLog {
  readonly dir: string;
  readonly eventsFile: string;
  readonly summary: LogSummary;
  /** False when this call generated the log. */
  readonly reused: boolean;
}

export async function cachedLedgerLog(spec: LogSpec, log: (line: string) => void): Promise<CachedLog> {
  const dir = join(
    CACHE_DIR,
    `ledger-s${spec.seed}-n${spec.targetEvents}-p${spec.partners}-h${spec.persons}-g${GENERATOR_VERSION}`,
  );
  const meta = join(dir, 'summary.json');
  if (existsSync(meta)) {
    const summary = JSON.parse(readFileSync(meta, 'utf8')) as LogSummary;
    log(`  reusing the cached log ${dir} (${summary.events.toLocaleString('en-US')} events)`);
    return { dir, eventsFile: join(dir, 'events.sqlite'), summary, reused: true };
  }
  // Written aside and renamed when complete, so an interrupted run never leaves a half log behind.
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`  generating ${spec.targetEvents.toLocaleString('en-US')} events through the CommandBus into ${partial}`);
  const summary = await generateLedgerLog(partial, spec, log);
  writeFileSync(join(partial, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(
    `  generated in ${summary.seconds} s: ${summary.events.toLocaleString('en-US')} events, ${summary.commands} commands`,
  );
  return { dir, eventsFile: join(dir, 'events.sqlite'), summary, reused: false };
}
