import 'reflect-metadata';
import { loadApiConfig, loadCheckpointConfig, loadRedisSettings } from '@ihl/config';
import { createApiApp, createLedgerLog } from '@ihl/http-api';

async function main(): Promise<void> {
  const config = loadApiConfig(process.env);
  loadRedisSettings(process.env); // LEDGER_REDIS is checked here too, though only `ledger serve` acts on it
  const log = createLedgerLog({ service: 'api', ...(config.logLevel ? { level: config.logLevel } : {}) });
  // LEDGER_CHECKPOINT_KEY_FILE: signed checkpoints on the schedule and POST /api/v1/admin/checkpoints, as `ledger serve`.
  const app = await createApiApp({ config, log, checkpoints: loadCheckpointConfig(process.env) });
  await app.listen(config.port, config.host);
  log.info(`Integral Help Ledger API on http://${config.host}:${config.port} (docs at /api/docs)`);
}

main().catch((e: unknown) => {
  // Before the logger exists (a bad setting) the one line names the variable; stderr, not JSON.
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
