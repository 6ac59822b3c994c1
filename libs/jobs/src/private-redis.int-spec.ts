import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { startPrivateRedis, stopPrivateRedis } from './private-redis';

describe('the private redis-server of a data directory', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ihl-redis-'));
  });
  afterAll(async () => {
    await stopPrivateRedis(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on 127.0.0.1 under DATA_DIR/redis, append-only and noeviction; a second start reuses it; its starter stops it', async () => {
    const first = await startPrivateRedis(dataDir);
    expect(first).toMatchObject({ reused: false, url: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+$/) });
    const pid = Number(readFileSync(join(dataDir, 'redis', 'redis.pid'), 'utf8'));
    const client = new IORedis(first.url);
    try {
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      expect(await client.config('GET', 'dir')).toEqual(['dir', join(dataDir, 'redis')]);
      await client.set('kept', '1');
    } finally {
      client.disconnect();
    }
    const second = await startPrivateRedis(dataDir);
    expect(second).toMatchObject({ reused: true, url: first.url });
    await second.stop(); // not its own: still running
    expect(() => process.kill(pid, 0)).not.toThrow();
    await first.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(join(dataDir, 'redis', 'appendonlydir'))).toBe(true);
    // Started again, the append-only file gives back what was written.
    const again = await startPrivateRedis(dataDir);
    const after = new IORedis(again.url);
    try {
      expect(await after.get('kept')).toBe('1');
    } finally {
      after.disconnect();
      await again.stop();
    }
  }, 60_000);
});
