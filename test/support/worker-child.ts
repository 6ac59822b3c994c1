import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TEST_KEYS } from './ledger-test-app';

const ROOT = join(__dirname, '../..');

/** apps/worker as a child process on a data directory and a Redis (`extraEnv`: more settings): started, killed, started again. */
export class WorkerChild {
  output = '';
  private child: ChildProcess | null = null;
  constructor(
    private readonly dataDir: string,
    private readonly redisUrl: string,
    private readonly extraEnv: NodeJS.ProcessEnv = {},
  ) {}

  start(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...TEST_KEYS,
        DATA_DIR: this.dataDir,
        REDIS_URL: this.redisUrl,
        // Long enough for a 500-row chunk on a loaded machine; a killed worker's job is back after it.
        LEDGER_JOB_LOCK_MS: '15000',
        LEDGER_JOB_STALLED_CHECK_MS: '1000',
        ...this.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    return until(
      async () => this.output.includes('listening on queue'),
      () => `worker start: ${this.output}`,
    );
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return new Promise((resolve) => {
      const child = this.child;
      this.child = null;
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

/** Polls `check` until it holds; fails with `what()` after `ms`. */
export async function until(check: () => Promise<boolean>, what: () => string, ms = 240_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out: ${what()}`);
}
