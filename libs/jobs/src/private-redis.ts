import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import IORedis from 'ioredis';

/** A redis-server private to one data directory: its files under DATA_DIR/redis, bound to 127.0.0.1. */
export interface PrivateRedis {
  readonly url: string;
  /** It was already running for this data directory (started by another process). */
  readonly reused: boolean;
  /** Stops it, only if this process started it; a reused one belongs to its starter. */
  stop(): Promise<void>;
  /** The same, synchronously (SIGTERM: redis flushes its append-only file), for a signal handler. */
  stopNow(): void;
}

const PID_FILE = 'redis.pid';
const PORT_FILE = 'redis.port';

export function privateRedisDir(dataDir: string): string {
  return resolve(dataDir, 'redis');
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => done(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  const probe = new IORedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** The running server of this data directory, if its pid file names a live one that answers. */
async function running(dir: string): Promise<{ pid: number; url: string } | null> {
  const pidFile = join(dir, PID_FILE);
  const portFile = join(dir, PORT_FILE);
  if (!existsSync(pidFile) || !existsSync(portFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const url = `redis://127.0.0.1:${Number(readFileSync(portFile, 'utf8').trim())}`;
  return Number.isInteger(pid) && pid > 0 && alive(pid) && (await answers(url)) ? { pid, url } : null;
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`private redis-server: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts redis-server for DATA_DIR, or reuses the one already running for it (the api and the worker
 * of the demo share one). Append-only file and noeviction: a queued job is never silently dropped.
 * Daemonised with a pid file, so a second process finds it; the starter stops it on exit.
 */
export async function startPrivateRedis(
  dataDir: string,
  /** `port`: listen there rather than on a free one (tests restarting Redis where clients expect it). */
  options: { timeoutMs?: number; port?: number } = {},
): Promise<PrivateRedis> {
  const dir = privateRedisDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const found = await running(dir);
  if (found) return { url: found.url, reused: true, stop: async () => undefined, stopNow: () => undefined };
  rmSync(join(dir, PID_FILE), { force: true });
  const port = options.port ?? (await freePort());
  const args = [
    ...['--bind', '127.0.0.1', '--port', String(port), '--protected-mode', 'yes'],
    ...['--dir', dir, '--pidfile', join(dir, PID_FILE), '--daemonize', 'yes', '--logfile', join(dir, 'redis.log')],
    ...['--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', ''],
  ];
  writeFileSync(join(dir, PORT_FILE), `${port}\n`);
  await new Promise<void>((done, fail) => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    child.once('error', (e) =>
      fail(new Error(`redis-server could not be started (apt-get install redis-server): ${e.message}`)),
    );
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`redis-server exited with ${code}; see ${dir}/redis.log`)),
    );
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil(() => answers(url), `did not answer on ${url}; see ${dir}/redis.log`, options.timeoutMs ?? 10_000);
  // However this process ends, the server it started goes with it (SIGTERM: redis flushes the AOF).
  const pid = Number(readFileSync(join(dir, PID_FILE), 'utf8').trim());
  const onExit = () => {
    if (alive(pid)) process.kill(pid, 'SIGTERM');
  };
  process.once('exit', onExit);
  return {
    url,
    reused: false,
    stopNow: onExit,
    stop: async () => {
      process.removeListener('exit', onExit);
      await stopPrivateRedis(dataDir);
    },
  };
}

/** SHUTDOWN (the append-only file is flushed), then waits for the process to be gone. */
export async function stopPrivateRedis(dataDir: string, timeoutMs = 10_000): Promise<void> {
  const dir = privateRedisDir(dataDir);
  const found = await running(dir);
  if (!found) return;
  const client = new IORedis(found.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  await client.call('SHUTDOWN').catch(() => undefined);
  client.disconnect();
  await waitUntil(async () => !alive(found.pid), `pid ${found.pid} did not stop`, timeoutMs);
  rmSync(join(dir, PORT_FILE), { force: true });
}
