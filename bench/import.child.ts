/**
 * One import in its own process, so that its peak RSS is its own: registers the project in a fresh
 * ledger and imports the file (written by the parent) with the engine. Prints one JSON line.
 *
 *   import.child.ts <dir> <file> <csv|xlsx>
 */
import { join } from 'node:path';
import { runImport } from '@ihl/imports';
import { PARTNER, PARTNER_ACTOR, freshLedger } from './import-ledger';

async function main(): Promise<void> {
  const [dir, file, format] = process.argv.slice(2) as [string, string, 'csv' | 'xlsx'];
  const ledger = await freshLedger(dir);
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const summary = await runImport(
    {
      importId: '00000000-0000-4000-8000-000000000001',
      projectCode: ledger.code,
      partnerId: PARTNER,
      actor: PARTNER_ACTOR,
      file,
      format,
      dryRun: false,
    },
    ledger.deps(join(dir, 'imports')),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sample);
  await ledger.close();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({
      rows: summary.rows,
      imported: summary.imported,
      seconds,
      rssBeforeBytes: before,
      peakSampledRssBytes: peak,
      maxRssBytes,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
