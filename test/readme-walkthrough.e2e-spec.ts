import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedProject, startLedgerTestApp, type LedgerTestApp } from './support/ledger-test-app';

const run = promisify(execFile);

// Keeps the README honest: its walkthrough is this script, run here against the live API.
describe('README walkthrough (scripts/walkthrough.sh) against the API on 127.0.0.1', () => {
  let t: LedgerTestApp;
  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
  });
  afterAll(() => t.close());

  it('partner records, agency verifies, finance verifies an expenditure', async () => {
    const { stdout } = await run('bash', [join(__dirname, '../scripts/walkthrough.sh')], {
      env: {
        ...process.env,
        BASE: t.base,
        PARTNER: t.tokens.partnerA,
        AUDITOR: t.tokens.auditor,
        FINANCE: t.tokens.finance,
        ADMIN: t.tokens.admin,
      },
    });
    expect(stdout).toMatch(/^recorded service delivery [0-9a-f-]{36}$/m);
    expect(stdout).toMatch(/^recorded a consultation and a training$/m);
    expect(stdout).toMatch(/^verified [0-9a-f-]{36}: review verified$/m);
    expect(stdout).toMatch(/^verified expenditure [0-9a-f-]{36}: \{"eligible":"1000.01","ineligible":"234.56"\}$/m);
    const types = (await t.store.readAll()).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'ServiceDelivered',
        'CaregiverConsultationHeld',
        'TrainingHeld',
        'ActivityVerified',
        'AllocationSet',
        'ExpenditureDeclared',
        'ExpenditureVerified',
      ]),
    );
  });
});
