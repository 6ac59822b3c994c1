import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadApiConfig, loadMaintenanceConfig, loadWorkerConfig } from '@ihl/config';

const ROOT = join(__dirname, '..');

/** The bash block docker/README.md marks as the secrets recipe, exactly as a user would paste it. */
function recipe(): string {
  const readme = readFileSync(join(ROOT, 'docker/README.md'), 'utf8');
  const m = /<!-- secrets-recipe\b[^>]*-->\s*```bash\n([\s\S]*?)```\s*<!-- \/secrets-recipe -->/.exec(readme);
  if (!m) throw new Error('docker/README.md has no secrets recipe block');
  return m[1]!;
}

/** Runs the recipe from a copy of the repository root holding docker/ledger.env.example. */
function runRecipe(root: string) {
  return spawnSync('bash', ['-e', '-c', recipe()], { cwd: root, encoding: 'utf8' });
}

/** What docker compose's env_file reads: KEY=value lines, comments and blank lines skipped. */
function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

describe("docker/README.md's secrets recipe", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ihl-docker-recipe-'));
    mkdirSync(join(root, 'docker'));
    copyFileSync(join(ROOT, 'docker/ledger.env.example'), join(root, 'docker/ledger.env.example'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes a docker/ledger.env (owner-only) that the api, the worker and ledger rebuild accept', () => {
    const run = runRecipe(root);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const file = join(root, 'docker/ledger.env');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const env = readEnvFile(file);
    expect(env.LEDGER_JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(env.LEDGER_PSEUDONYM_KEY).toMatch(/^1:[0-9a-f]{64}$/);
    expect(env.LEDGER_PROFILE_MASTER_KEY).toMatch(/^[0-9a-f]{64}$/);
    // Compose adds these for the services (docker-compose.yml).
    const compose = { DATA_DIR: '/data', REDIS_URL: 'redis://redis:6379' };
    expect(loadApiConfig({ ...env, ...compose })).toMatchObject({
      jwtSecret: env.LEDGER_JWT_SECRET,
      pseudonymKeyring: env.LEDGER_PSEUDONYM_KEY,
      profileMasterKey: env.LEDGER_PROFILE_MASTER_KEY,
    });
    expect(loadWorkerConfig({ ...env, ...compose, LEDGER_PROJECTIONS: 'worker' }).privacy).toBeDefined();
    expect(loadMaintenanceConfig({ ...env, ...compose }).privacy.pseudonymKeyring).toBe(env.LEDGER_PSEUDONYM_KEY);
    // Fresh secrets each time, and three different ones.
    expect(
      new Set([env.LEDGER_JWT_SECRET, env.LEDGER_PSEUDONYM_KEY!.slice(2), env.LEDGER_PROFILE_MASTER_KEY]).size,
    ).toBe(3);
  });

  it('never overwrites an existing docker/ledger.env: its keys must stay the same', () => {
    expect(runRecipe(root).status).toBe(0);
    const file = join(root, 'docker/ledger.env');
    const first = readFileSync(file, 'utf8');
    const again = runRecipe(root);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/exists: keeping it/);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it('a malformed pseudonym key (the base64 an older recipe made) is refused naming LEDGER_PSEUDONYM_KEY', () => {
    expect(runRecipe(root).status).toBe(0);
    const env = { ...readEnvFile(join(root, 'docker/ledger.env')), LEDGER_PSEUDONYM_KEY: 'q'.repeat(43) + 'A-_x' };
    expect(() => loadApiConfig(env)).toThrow(ConfigError);
    expect(() => loadApiConfig(env)).toThrow(/^configuration: LEDGER_PSEUDONYM_KEY /);
  });
});
