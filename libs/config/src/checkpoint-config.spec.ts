import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpointConfig, loadCheckpointPublicKey } from './checkpoint-config';

describe('checkpoint configuration', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-cp-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, pem: string | Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, pem);
    return file;
  };

  it('is off without LEDGER_CHECKPOINT_KEY_FILE, and reads an Ed25519 key with its defaults', () => {
    expect(loadCheckpointConfig({})).toBeNull();
    const { privateKey } = generateKeyPairSync('ed25519');
    const file = write('ok.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(loadCheckpointConfig({ LEDGER_CHECKPOINT_KEY_FILE: file })).toMatchObject({
      everyEvents: 10_000,
      everyMs: 3_600_000,
    });
    expect(loadCheckpointPublicKey({ LEDGER_CHECKPOINT_KEY_FILE: file }, undefined)?.type).toBe('public');
  });

  it('names the variable and the rule for a missing file, another kind of key, or a bad interval', () => {
    expect(() => loadCheckpointConfig({ LEDGER_CHECKPOINT_KEY_FILE: join(dir, 'none.pem') })).toThrow(
      /LEDGER_CHECKPOINT_KEY_FILE must name a readable PEM file/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const rsaFile = write('rsa.pem', rsa.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadCheckpointConfig({ LEDGER_CHECKPOINT_KEY_FILE: rsaFile })).toThrow(
      /LEDGER_CHECKPOINT_KEY_FILE must hold an Ed25519 private key, not rsa/,
    );
    const { privateKey } = generateKeyPairSync('ed25519');
    const file = write('ok2.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() =>
      loadCheckpointConfig({ LEDGER_CHECKPOINT_KEY_FILE: file, LEDGER_CHECKPOINT_EVERY_EVENTS: '0' }),
    ).toThrow(/LEDGER_CHECKPOINT_EVERY_EVENTS must be a whole number from 1/);
  });
});
