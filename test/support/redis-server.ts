import IORedis from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A real redis-server (Debian package `redis-server`) on 127.0.0.1, no persistence, for one test file. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`redis-server could not be started (apt-get install redis-server): ${e.message}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Every key and value in Redis as text (SCAN, then each key by its type, and its raw DUMP): where a
 * personal code must never be.
 */
export async function dumpRedis(redisUrl: string): Promise<string> {
  const client = new IORedis(redisUrl);
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await client.type(key);
        out.push(key);
        if (type === 'string') out.push(String(await client.get(key)));
        else if (type === 'hash') out.push(JSON.stringify(await client.hgetall(key)));
        else if (type === 'list') out.push(JSON.stringify(await client.lrange(key, 0, -1)));
        else if (type === 'set') out.push(JSON.stringify(await client.smembers(key)));
        else if (type === 'zset') out.push(JSON.stringify(await client.zrange(key, '0', '-1')));
        else if (type === 'stream') out.push(JSON.stringify(await client.xrange(key, '-', '+')));
        const dumped = await client.dumpBuffer(key);
        if (dumped) out.push(dumped.toString('latin1'));
      }
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return out.join('\n');
}
