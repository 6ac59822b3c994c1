import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_KEYS } from '../../../../test/support/ledger-test-app';
import { runMigrate } from './migrate.command';

describe('ledger migrate', () => {
  const privacy = {
    pseudonymKeyring: TEST_KEYS.LEDGER_PSEUDONYM_KEY,
    profileMasterKey: TEST_KEYS.LEDGER_PROFILE_MASTER_KEY,
  };

  it('reports what it rewrote, then that nothing is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihl-migrate-'));
    try {
      cpSync(join(__dirname, '../../../../test/fixtures/legacy-ledger'), dir, { recursive: true });
      const settings = { dataDir: dir, eventStoreConnectionString: undefined, privacy };
      expect(runMigrate(settings)).toEqual([
        'migrate: request hashes: 6 unkeyed request hashes rekeyed, 6 dropped (they covered erased persons)',
      ]);
      expect(runMigrate(settings)).toEqual(['migrate: request hashes: none left to rewrite']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says plainly that an EventStoreDB log cannot be rewritten', () => {
    const [line] = runMigrate({ dataDir: tmpdir(), eventStoreConnectionString: 'esdb://127.0.0.1:1', privacy });
    expect(line).toMatch(/not possible on EventStoreDB/);
  });
});
