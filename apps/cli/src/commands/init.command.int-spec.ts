import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DomainValidationError } from '@ihl/domain';
import { SqliteEventStore } from '@ihl/event-store';
import { runInit } from './init.command';
import { runToken } from './token.command';
import { verifyToken } from '@ihl/auth';

const reference = join(__dirname, '../../../../projects/07-003-P-0001.json');

describe('ledger init', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('registers the reference project into the SQLite file once; a rerun changes nothing', async () => {
    const first = await runInit({ dataDir: dir, eventStoreConnectionString: undefined, projectFile: reference });
    expect(first).toMatchObject({ code: '07-003-P-0001', changed: true, revision: 0 });
    const again = await runInit({ dataDir: dir, eventStoreConnectionString: undefined, projectFile: reference });
    expect(again).toMatchObject({ changed: false, revision: 0, position: first.position });
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    const events = await store.readAll();
    await store.close();
    expect(events.map((e) => e.type)).toEqual(['ProjectRegistered']);
    expect(events[0]!.metadata).toMatchObject({ actor: { subject: 'ledger-cli', role: 'admin' } });
  });

  it('refuses a broken definition file, naming the field, and writes nothing', async () => {
    const broken = { ...JSON.parse(readFileSync(reference, 'utf8')), envelope: 43940212 };
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const err = await runInit({ dataDir: dir, eventStoreConnectionString: undefined, projectFile: file }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainValidationError);
    expect((err as Error).message).toMatch(/^envelope: /);
  });
});

describe('ledger init and the process-wide Nest logger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints nothing itself, and leaves Nest logging for what runs after it (serve)', async () => {
    const originals = { out: process.stdout.write, err: process.stderr.write, noColor: process.env.NO_COLOR };
    let written = '';
    const capture = ((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
    let duringInit: string;
    try {
      process.env.NO_COLOR = '1';
      process.stdout.write = capture;
      process.stderr.write = capture;
      await runInit({ dataDir: dir, eventStoreConnectionString: undefined, projectFile: reference });
      duringInit = written;
      new Logger('after-init').error('a failed request');
      new Logger('after-init').log('listening');
    } finally {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
      if (originals.noColor === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = originals.noColor;
    }
    expect(duringInit).toBe('');
    expect(written).toMatch(/ERROR \[after-init\] a failed request/);
    expect(written).toMatch(/LOG \[after-init\] listening/);
  });
});

describe('ledger token', () => {
  const secret = 's'.repeat(40);
  it('mints a token the API verifies, carrying the partner for partner submitters', async () => {
    const t = await runToken({
      secret,
      issuer: 'iss',
      role: 'partner-submitter',
      subject: 'u1',
      partnerId: 'visaginas-spc',
      expiresIn: '1h',
    });
    await expect(verifyToken({ secret, issuer: 'iss' }, t)).resolves.toEqual({
      subject: 'u1',
      role: 'partner-submitter',
      partnerId: 'visaginas-spc',
    });
    await expect(verifyToken({ secret: 'x'.repeat(40), issuer: 'iss' }, t)).rejects.toThrow(/invalid/);
  });

  it('refuses unknown roles, malformed expiry and partner tokens without a partner', async () => {
    await expect(runToken({ secret, issuer: 'iss', role: 'root', subject: 'u', expiresIn: '1h' })).rejects.toThrow(
      /--role/,
    );
    await expect(
      runToken({ secret, issuer: 'iss', role: 'admin', subject: 'u', expiresIn: 'forever' }),
    ).rejects.toThrow(/--expires/);
    await expect(
      runToken({ secret, issuer: 'iss', role: 'partner-submitter', subject: 'u', expiresIn: '1h' }),
    ).rejects.toThrow(/partner id/);
  });
});
