import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToken } from './commands/token.command';

const ROOT = join(__dirname, '../../..');
const SECRET = 'serve-test-secret-that-is-long-enough-0123';

/** A port free a moment ago (serve prints the port it was given, so 0 would not tell it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `ledger serve` as an operator runs it: its log is the only trace of a failed request, so an
 * answer of 500 must leave a line (init, which runs first, once silenced Nest's logger for good).
 */
describe('ledger serve logs', () => {
  let dir: string;
  let serve: ChildProcess;
  let output = '';
  let base: string;

  /** Resolves once the output matches, or fails with what was printed. */
  const printed = (pattern: RegExp, ms = 150_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const check = setInterval(() => {
        if (pattern.test(output)) {
          clearInterval(check);
          resolve();
        } else if (serve.exitCode !== null || Date.now() - started > ms) {
          clearInterval(check);
          reject(new Error(`no ${pattern} in the output of ledger serve:\n${output}`));
        }
      }, 50);
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-serve-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    serve = spawn(process.execPath, ['--require', './test/support/register-ts.cjs', 'apps/cli/src/main.ts', 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NO_COLOR: '1',
        LEDGER_JWT_SECRET: SECRET,
        LEDGER_PSEUDONYM_KEY: `1:${'3'.repeat(64)}`,
        LEDGER_PROFILE_MASTER_KEY: '4'.repeat(64),
        DATA_DIR: dir,
        HOST: '127.0.0.1',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serve.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    serve.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    // Started through the TypeScript loader: ~30 s on a loaded machine, so a budget of five times that.
    await printed(/Integral Help Ledger on http:\/\//);
  }, 160_000);

  afterAll(async () => {
    if (serve.exitCode === null) {
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints Nest start-up lines, and an error line for a request answered 500 (JSON log lines)', async () => {
    // Init (up to its one line) stays quiet; the API that follows logs Nest's lines as JSON.
    const initEnds = output.indexOf('project 07-003-P-0001: registered');
    expect(initEnds).toBeGreaterThanOrEqual(0);
    expect(output.slice(0, initEnds)).not.toMatch(/\[Nest\]/);
    expect(output.slice(initEnds)).toMatch(
      /"level":"info".*"context":"NestApplication".*"msg":"Nest application successfully started"/,
    );

    // Another process holds the event store's write lock past the busy timeout (5 s): the write
    // fails with SQLITE_BUSY, which nothing maps, so the answer is 500.
    const token = await runToken({
      secret: SECRET,
      issuer: 'integral-help-ledger',
      role: 'partner-submitter',
      subject: 'serve-test',
      partnerId: 'visaginas-spc',
      expiresIn: '1h',
    });
    const locker = new Database(join(dir, 'events.sqlite'));
    let status: number;
    try {
      locker.exec('begin immediate');
      const res = await fetch(`${base}/api/v1/projects/07-003-P-0001/expenditures`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          categoryId: 'staff',
          amount: '10.00',
          occurredOn: '2024-05-10',
          documentRef: 'INV-1',
          description: 'locked out',
        }),
      });
      status = res.status;
    } finally {
      locker.close();
    }
    expect(status).toBe(500);
    await printed(/"level":"error".*"context":"http".*"msg":"SqliteError: database is locked/, 10_000);
  }, 30_000);
});
