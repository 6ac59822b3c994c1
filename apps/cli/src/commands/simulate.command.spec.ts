import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainValidationError, parseProjectDefinition } from '@ihl/domain';
import { defaultUntil, runSimulate, type SimulateOptions } from './simulate.command';

const PROJECT = join(__dirname, '../../../../projects/07-003-P-0001.json');
const definition = parseProjectDefinition(JSON.parse(readFileSync(PROJECT, 'utf8')));
const PRIVACY = { pseudonymKeyring: `1:${'5e'.repeat(32)}`, profileMasterKey: '6f'.repeat(32) };

describe('ledger simulate', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-simulate-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const options = (o: Partial<SimulateOptions>): SimulateOptions => ({
    config: { dataDir: dir, eventStoreConnectionString: undefined, privacy: PRIVACY },
    projectFile: PROJECT,
    scale: '0.02',
    seed: '1',
    until: undefined,
    now: new Date('2026-12-06T12:00:00Z'),
    ...o,
  });

  it('simulates up to yesterday in Vilnius, never past the project end', () => {
    expect(defaultUntil(definition, new Date('2026-12-06T12:00:00Z'))).toBe('2026-12-05');
    // 22:30 UTC is already the 7th in Vilnius (UTC+2).
    expect(defaultUntil(definition, new Date('2026-12-06T22:30:00Z'))).toBe('2026-12-06');
    expect(defaultUntil(definition, new Date('2027-03-01T12:00:00Z'))).toBe('2026-12-31');
  });

  it.each([
    [{ scale: 'abc' }, 'scale'],
    [{ scale: '0' }, 'scale'],
    [{ seed: '1.5' }, 'seed'],
    [{ until: '2027-01-05' }, 'until'],
  ])('refuses %j naming the option, and writes nothing', async (bad, field) => {
    const refused = await runSimulate(options(bad), () => undefined).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainValidationError);
    expect((refused as DomainValidationError).issues.map((i) => i.field)).toEqual([field]);
    expect(existsSync(join(dir, 'events.sqlite'))).toBe(false);
  });

  it('refuses an EventStoreDB ledger: it writes the embedded store only', async () => {
    const config = { dataDir: dir, eventStoreConnectionString: 'esdb://127.0.0.1:2113?tls=false', privacy: PRIVACY };
    await expect(runSimulate(options({ config }), () => undefined)).rejects.toThrow(/EVENTSTORE_CONNECTION_STRING/);
  });
});
