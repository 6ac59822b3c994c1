import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EsdbEventStore, SqliteEventStore } from '@ihl/event-store';
import { startEsdbStandIn } from '../../../../test/esdb-stand-in/esdb-stand-in.server';
import { runCheckpoint, runListCheckpoints } from './checkpoint.command';
import { runVerify, runVerifyOnEventStoreDb } from './verify.command';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

describe('ledger checkpoint and ledger verify', () => {
  let dataDir: string;
  const settings = () => ({ dataDir, eventStoreConnectionString: undefined });

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ihl-verify-'));
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    for (let i = 0; i < 12; i++)
      await store.append(`s-${i % 2}`, [{ eventId: randomUUID(), type: 'A', data: { i } }], 'any');
    await store.close();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function reportAtHead(): Promise<string> {
    const lines = await runCheckpoint({ ...settings(), key: privateKey });
    expect(lines[0]).toMatch(/^checkpoint: position 12, chain [0-9a-f]{64}/);
    const report = join(dataDir, 'report.csv');
    writeFileSync(report, `# ${lines[1]}\npartner;value\nP1;10\n`);
    return report;
  }

  it('proves a report was built on an unaltered prefix, and refuses it once the prefix changed', async () => {
    const report = await reportAtHead();
    expect(runVerify({ ...settings(), publicKey, report })).toMatchObject({ ok: true });
    const db = new Database(join(dataDir, 'events.sqlite'));
    db.prepare(`update events set data = '{"i":30}' where position = 3`).run();
    db.close();
    const r = runVerify({ ...settings(), publicKey, report });
    expect(r.ok).toBe(false);
    expect(r.lines).toContainEqual(expect.stringMatching(/FAILED at position 3 \(altered\)/));
  });

  it('lists the signed checkpoints with their tokens, as ledger checkpoint printed them', async () => {
    const signed = await runCheckpoint({ ...settings(), key: privateKey });
    expect(signed[1]).toMatch(/^IHL-CHECKPOINT\/1:12:/);
    expect(await runListCheckpoints(settings())).toEqual(signed);
  });

  it('refuses a report whose checkpoint another key signed, or that carries none', async () => {
    const report = await reportAtHead();
    expect(runVerify({ ...settings(), publicKey: other.publicKey, report }).lines).toContainEqual(
      expect.stringMatching(/FAILED at position 12 \(checkpoint\): .*signature does not match/),
    );
    writeFileSync(report, 'partner;value\n');
    expect(runVerify({ ...settings(), publicKey, report })).toMatchObject({ ok: false });
  });

  it('refuses a report stamped on EventStoreDB, naming that log', () => {
    const report = join(dataDir, 'esdb.csv');
    const digest = 'a'.repeat(64);
    const token = `IHL-ESDB-CHECKPOINT/1:9:${digest}:1:${digest}:2024-06-15T10:00:00.000Z:${'b'.repeat(16)}:${'c'.repeat(86)}==`;
    writeFileSync(report, `# IHL-POSITION/1:12 ${token}\npartner;value\n`);
    expect(runVerify({ ...settings(), publicKey, report })).toEqual({
      ok: false,
      lines: [expect.stringMatching(/FAILED at position 9 \(checkpoint\): .*an EventStoreDB log's, not this one's/)],
    });
  });

  it('exits 1 from the command line, naming the first fault', async () => {
    const keyFile = join(dataDir, 'checkpoint-key.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await runCheckpoint({ ...settings(), key: privateKey });
    const db = new Database(join(dataDir, 'events.sqlite'));
    db.prepare('delete from events where position = 5').run();
    db.close();
    // One process only: the TypeScript loader makes each start slow on a busy machine.
    const broken = spawnSync(
      process.execPath,
      ['--require', './test/support/register-ts.cjs', 'apps/cli/src/main.ts', 'verify'],
      { env: { ...process.env, DATA_DIR: dataDir, LEDGER_CHECKPOINT_KEY_FILE: keyFile }, encoding: 'utf8' },
    );
    expect(broken.stdout).toContain('(signatures checked)');
    expect([broken.status, broken.stdout]).toEqual([1, expect.stringContaining('FAILED at position 5 (missing)')]);
  }, 300_000);
});

describe('ledger checkpoint and ledger verify on EventStoreDB (gRPC stand-in)', () => {
  it('signs a checkpoint in the server, verifies the log, and names the first altered event', async () => {
    const standIn = await startEsdbStandIn();
    const dataDir = mkdtempSync(join(tmpdir(), 'ihl-verify-esdb-'));
    const settings = { dataDir, eventStoreConnectionString: standIn.connectionString };
    const store = new EsdbEventStore({ connectionString: standIn.connectionString });
    try {
      for (let i = 0; i < 6; i++)
        await store.append(`s-${i % 2}`, [{ eventId: randomUUID(), type: 'A', data: { i } }], 'any');
      const signed = await runCheckpoint({ ...settings, key: privateKey });
      expect(signed).toEqual([
        expect.stringMatching(/^checkpoint: position \d+, heads [0-9a-f]{64} \(2 streams moved\)/),
        expect.stringMatching(/^IHL-ESDB-CHECKPOINT\/1:\d+:[0-9a-f]{64}:2:/),
      ]);
      // The printed token is what a file carries: verify --report proves a file stamped with it.
      const report = join(dataDir, 'report.csv');
      writeFileSync(report, `# ${signed[1]}\npartner;value\nP1;10\n`);
      expect(await runVerifyOnEventStoreDb({ ...settings, publicKey, report })).toMatchObject({ ok: true });
      const ok = await runVerifyOnEventStoreDb({ ...settings, publicKey });
      expect(ok).toEqual({
        ok: true,
        lines: [
          expect.stringMatching(/^verify: 6 events walked, .*1 checkpoints \(signatures checked\)$/),
          'verify: OK',
        ],
      });
      expect((await runVerifyOnEventStoreDb({ ...settings, publicKey: other.publicKey })).lines[1]).toMatch(
        /FAILED at position \d+ \(checkpoint\): .*the signature does not match$/,
      );
      standIn.editStoredEvent('s-1', 1, { data: { i: 30 } });
      const altered = await runVerifyOnEventStoreDb({ ...settings, publicKey });
      expect(altered.ok).toBe(false);
      expect(altered.lines[1]).toMatch(/^verify: FAILED at position \d+ \(altered\): stream s-1 revision 1: /);
    } finally {
      await store.close();
      await standIn.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('lists the checkpoints kept in the server, newest first, each with its token', async () => {
    const standIn = await startEsdbStandIn();
    const settings = { dataDir: tmpdir(), eventStoreConnectionString: standIn.connectionString };
    const store = new EsdbEventStore({ connectionString: standIn.connectionString });
    try {
      expect(await runListCheckpoints(settings)).toEqual([
        'checkpoints: none signed yet (ledger checkpoint signs one)',
      ]);
      expect(await runCheckpoint({ ...settings, key: privateKey })).toEqual([
        'checkpoint: nothing to sign: the log is empty',
      ]);
      await store.append('s-0', [{ eventId: randomUUID(), type: 'A', data: { i: 0 } }], 'any');
      const first = await runCheckpoint({ ...settings, key: privateKey });
      await store.append('s-1', [{ eventId: randomUUID(), type: 'A', data: { i: 1 } }], 'any');
      await store.append('s-0', [{ eventId: randomUUID(), type: 'A', data: { i: 2 } }], 'any');
      const second = await runCheckpoint({ ...settings, key: privateKey });
      expect(second[0]).toMatch(/\(2 streams moved\)/);
      expect(second[1]).not.toBe(first[1]);
      expect(await runListCheckpoints(settings)).toEqual([...second, ...first]);
    } finally {
      await store.close();
      await standIn.close();
    }
  }, 60_000);
});
