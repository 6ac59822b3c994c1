/**
 * The API with the web app for bench/web-overview.bench.ts, in its own process (so chromium and the
 * bench do not share its event loop), run with test/support/register-ts.cjs:
 *
 *   node --require ./test/support/register-ts.cjs bench/web-overview.child.ts <data dir> <clock ISO> <web dir>
 *
 * Serves the data directory (removed on exit) with the demo users on, the same app the e2e tests
 * use. Talks to its parent over IPC: `{ base }` once listening, and closes on `'close'`.
 */
import { startLedgerTestApp } from '../test/support/ledger-test-app';
import { BENCH_PRIVACY, PROJECT_FILE } from './ledger-log.generator';

async function main(): Promise<void> {
  const [dir, clockIso, webDir] = process.argv.slice(2);
  if (!dir || !clockIso || !webDir) throw new Error('usage: web-overview.child.ts <data dir> <clock ISO> <web dir>');
  const t = await startLedgerTestApp(
    new Date(clockIso),
    {
      LEDGER_PSEUDONYM_KEY: BENCH_PRIVACY.pseudonymKeyring,
      LEDGER_PROFILE_MASTER_KEY: BENCH_PRIVACY.profileMasterKey,
      RATE_LIMIT_WRITES_PER_MINUTE: '0',
      RATE_LIMIT_READS_PER_MINUTE: '0',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
      LEDGER_DEMO_USERS: 'on',
      LEDGER_WEB_DIR: webDir,
      LEDGER_PROJECT_FILE: PROJECT_FILE,
    },
    { dir },
  );
  process.on('message', (m: unknown) => {
    if (m === 'close') void t.close().then(() => process.exit(0));
  });
  process.send?.({ base: t.base });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
