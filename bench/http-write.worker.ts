/**
 * BENCH_HTTP_PROJECTIONS=worker for bench/http-write.bench.ts: the read models fed by the ledger worker
 * (LEDGER_PROJECTIONS=worker, the api+worker deployment) instead of the API process, so that the API's
 * event loop serves only requests. Starts a real redis-server (the worker's job queue) and the worker
 * on the bench's data directory; its CPU time is read from /proc, since it is no child of ours over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer, type RedisServer } from '../test/support/redis-server';
import { BENCH_PRIVACY } from './ledger-log.generator';

export interface ProjectionWorker {
  /** What the API process needs to leave the read models to the worker. */
  readonly apiEnv: Record<string, string>;
  /** The worker's CPU time so far (user + system, µs). */
  cpuMicros(): number;
  stop(): Promise<void>;
}

export function projectionsInWorker(): boolean {
  const v = process.env['BENCH_HTTP_PROJECTIONS'] ?? 'api';
  if (v !== 'api' && v !== 'worker') throw new Error(`BENCH_HTTP_PROJECTIONS: "api" or "worker", not "${v}"`);
  return v === 'worker';
}

export async function startProjectionWorker(dataDir: string): Promise<ProjectionWorker> {
  const redis = await startRedisServer();
  const worker = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../apps/worker/src/main.ts')], {
    cwd: join(__dirname, '..'),
    env: {
      ...process.env,
      LEDGER_PSEUDONYM_KEY: BENCH_PRIVACY.pseudonymKeyring,
      LEDGER_PROFILE_MASTER_KEY: BENCH_PRIVACY.profileMasterKey,
      DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      LEDGER_PROJECTIONS: 'worker',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await listening(worker);
  } catch (e) {
    worker.kill('SIGTERM');
    await redis.stop();
    throw e;
  }
  return {
    apiEnv: { LEDGER_PROJECTIONS: 'worker', REDIS_URL: redis.url },
    cpuMicros: () => procCpuMicros(worker.pid!),
    stop: () => stop(worker, redis),
  };
}

function listening(worker: ChildProcess): Promise<void> {
  let out = '';
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start in 120 s: ${out}`)), 120_000);
    const seen = (c: Buffer) => {
      out += c.toString();
      if (out.includes('listening on queue')) {
        clearTimeout(timer);
        resolve();
      }
    };
    worker.stdout!.on('data', seen);
    worker.stderr!.on('data', seen);
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${code}): ${out}`));
    });
  });
}

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms). */
export function procCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function stop(worker: ChildProcess, redis: RedisServer): Promise<void> {
  if (worker.exitCode === null) {
    worker.removeAllListeners('exit');
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.kill('SIGTERM');
    });
  }
  await redis.stop();
}
