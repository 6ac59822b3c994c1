import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface TestOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The ledger's environment for sign-in through this provider. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the ledger's, so the provider can know its redirect URI first). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts test/support/oidc-provider.child.mjs (oidc-provider 9) for a ledger that will listen on `ledgerPort`. */
export async function startOidcProvider(ledgerPort: number): Promise<TestOidcProvider> {
  const redirectUri = `http://127.0.0.1:${ledgerPort}/auth/callback`;
  const clientId = 'ledger-web';
  const clientSecret = 'ledger-web-test-secret-0123456789';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, 'oidc-provider.child.mjs'), redirectUri, clientId, clientSecret],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { issuer: string }).issuer));
    child.once('exit', (code) => reject(new Error(`oidc-provider exited (${code}): ${stderr}`)));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    env: {
      LEDGER_OIDC_ISSUER: issuer,
      LEDGER_OIDC_CLIENT_ID: clientId,
      LEDGER_OIDC_CLIENT_SECRET: clientSecret,
      LEDGER_OIDC_REDIRECT_URI: redirectUri,
      LEDGER_OIDC_SCOPE: 'openid ledger',
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
