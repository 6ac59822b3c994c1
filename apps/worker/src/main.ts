import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { loadWorkerConfig } from '@ihl/config';
import { resolveRedisEndpoint } from '@ihl/jobs';
import { LedgerCoreModule } from '@ihl/runtime';

export const LEDGER_QUEUE = 'ledger';

/**
 * The background worker. With LEDGER_PROJECTIONS=worker it feeds the read models (the api then only
 * reads their file). Jobs (imports, exports, scheduled checks) arrive with the issues that need
 * them; until then it connects, refuses unknown jobs, and shuts down cleanly.
 */
async function main(): Promise<void> {
  // Without REDIS_URL, LEDGER_REDIS=private reuses (or starts) the private redis-server of DATA_DIR.
  const redis = await resolveRedisEndpoint(process.env, process.env.DATA_DIR ?? './data');
  const config = loadWorkerConfig(redis ? { ...process.env, REDIS_URL: redis.url } : process.env);
  let projections: INestApplicationContext | null = null;
  if (config.projectionHost === 'worker') {
    projections = await NestFactory.createApplicationContext(
      LedgerCoreModule.forRoot({
        dataDir: config.dataDir,
        eventStoreConnectionString: config.eventStoreConnectionString,
        readModels: 'run',
        ...(config.privacy ? { privacy: config.privacy } : {}),
      }),
      { logger: false },
    );
    await projections.init();
    console.log(`ledger worker feeding the read models in ${config.dataDir}`);
  }
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
    await projections?.close();
    await redis?.release();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
