import 'reflect-metadata';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { loadWorkerConfig } from '@ihl/config';

export const LEDGER_QUEUE = 'ledger';

/**
 * The background worker. Jobs (imports, exports, rebuilds, scheduled checks) arrive with the issues
 * that need them; until then it connects, refuses unknown jobs, and shuts down cleanly.
 */
async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  const connection = new IORedis(config.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(
    LEDGER_QUEUE,
    async (job) => {
      throw new Error(`no handler for job "${job.name}" in this version`);
    },
    { connection },
  );
  await worker.waitUntilReady();
  console.log(`ledger worker listening on queue "${LEDGER_QUEUE}"`);
  const stop = async () => {
    await worker.close();
    connection.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
