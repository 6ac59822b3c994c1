import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../../..');

// `ledger demo-tokens` as the demo script reads it: NAME=token lines, from the CLI's sources.
describe('ledger demo-tokens', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-demo-tokens-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const demoTokens = async () => {
    const { stdout } = await run(
      process.execPath,
      ['--require', './test/support/register-ts.cjs', 'apps/cli/src/main.ts', 'demo-tokens'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATA_DIR: dir,
          LEDGER_JWT_SECRET: 'a-secret-that-is-long-enough-0123456789',
          LEDGER_PSEUDONYM_KEY: `1:${'3'.repeat(64)}`,
          LEDGER_PROFILE_MASTER_KEY: '4'.repeat(64),
        },
      },
    );
    return new Map(
      stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
  };

  // One start of the CLI from its sources (tens of seconds on a loaded host); without a summary, the
  // unit spec covers the four tokens alone.
  it('prints one token per role, and a behind partner named by a simulated ledger summary', async () => {
    writeFileSync(join(dir, 'simulation.json'), JSON.stringify({ figures: { partnersBehind: ['utena-spc'] } }));
    const tokens = await demoTokens();
    expect([...tokens.keys()]).toEqual(['ADMIN', 'AUDITOR', 'FINANCE', 'PARTNER', 'PARTNER_BEHIND', 'BEHIND']);
    expect(decodeJwt(tokens.get('AUDITOR')!)).toMatchObject({ sub: 'demo-auditor', role: 'agency-auditor' });
    expect(decodeJwt(tokens.get('PARTNER')!)).toMatchObject({ role: 'partner-submitter', partnerId: 'visaginas-spc' });
    expect(tokens.get('BEHIND')).toBe('utena-spc');
    expect(decodeJwt(tokens.get('PARTNER_BEHIND')!)).toMatchObject({ sub: 'demo-utena-spc', partnerId: 'utena-spc' });
  }, 300_000);
});
