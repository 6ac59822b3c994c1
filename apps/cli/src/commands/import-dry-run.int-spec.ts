import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { LockPeriodCommand } from '@ihl/application';
import { createEventStore } from '@ihl/event-store';
import { LedgerCoreModule } from '@ihl/runtime';
import { TEST_KEYS, lithuanianCode } from '../../../../test/support/ledger-test-app';
import { runImportCommand } from './import.command';
import { runInit } from './init.command';

const PROJECT = join(__dirname, '../../../../projects/07-003-P-0001.json');
const CODE = '07-003-P-0001';
const HEADER = 'Rūšis;Data;Paslauga;Tikslinė grupė;Vieta;Trukmė (min.);Asmens kodas;Mokymų rūšis;Tema;Dalyvių';
const training = (day: string, topic: string) => `training-held;${day};;;;120;;competence;${topic};12`;

describe('ledger import --dry-run decides as the import does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ihl-import-dry-'));
  const privacy = {
    pseudonymKeyring: TEST_KEYS.LEDGER_PSEUDONYM_KEY,
    profileMasterKey: TEST_KEYS.LEDGER_PROFILE_MASTER_KEY,
  };
  const config = { dataDir: dir, eventStoreConnectionString: undefined, privacy };
  const person = lithuanianCode('4400101123');
  const write = (name: string, lines: string[]) => {
    writeFileSync(join(dir, name), `${[HEADER, ...lines].join('\n')}\n`);
    return join(dir, name);
  };
  const run = (file: string, dryRun: boolean) =>
    runImportCommand(config, { file, projectCode: CODE, partnerId: 'visaginas-spc', dryRun });

  beforeAll(async () => {
    await runInit({ dataDir: dir, eventStoreConnectionString: undefined, projectFile: PROJECT });
    const app = await NestFactory.createApplicationContext(
      LedgerCoreModule.forRoot({ dataDir: dir, eventStoreConnectionString: undefined, readModels: false, privacy }),
      { logger: false },
    );
    try {
      const actor = { subject: 'agency', role: 'admin' as const };
      await app
        .get(CommandBus)
        .execute(new LockPeriodCommand(CODE, '2023-Q2', undefined, { actor, correlationId: 'c' }));
    } finally {
      await app.close();
    }
    await run(write('earlier.csv', [training('2024-02-01', 'Jau yra 1'), training('2024-02-02', 'Jau yra 2')]), false);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses before the joining day, takes a locked quarter’s row as a late entry, finds what is there, and writes nothing', async () => {
    // More than one chunk (500 rows), and a row repeated in the second: the real import finds it there.
    const fresh = Array.from({ length: 505 }, (_, i) => training('2024-03-01', `Tema ${i}`));
    const file = write('mixed.csv', [
      training('2024-02-01', 'Jau yra 1'),
      training('2022-12-20', 'Prieš prisijungimą'),
      training('2023-05-10', 'Užrakintas ketvirtis'),
      `service-delivered;2024-03-14;nursing;elderly;home;90;${person};;;`,
      training('2024-02-02', 'Jau yra 2'),
      ...fresh,
      fresh[0]!,
    ]);
    const before = await eventCount();
    const keysBefore = personKeys();
    const dry = await run(file, true);
    expect(await eventCount()).toBe(before);
    // The recipient's key would be created by sealing its profile: a dry run seals nothing.
    expect(personKeys()).toBe(keysBefore);
    const dryErrors = readFileSync(join(dir, 'imports', dry.errorFiles!.csv), 'utf8');
    expect(dryErrors).toMatch(/^csv,3,/m);
    // A row dated in the locked 2023-Q2 is a late entry (reported in 2023-Q3), not a refusal.
    expect(dryErrors).not.toMatch(/^csv,4,/m);

    const real = await run(file, false);
    expect(await eventCount()).toBeGreaterThan(before);
    expect(personKeys()).toBe(keysBefore + 1);
    const counts = ({ rows, imported, alreadyPresent, rejected }: typeof real) => ({
      rows,
      imported,
      alreadyPresent,
      rejected,
    });
    expect(counts(dry)).toEqual({ rows: 511, imported: 507, alreadyPresent: 3, rejected: 1 });
    expect(counts(real)).toEqual(counts(dry));
    expect(readFileSync(join(dir, 'imports', real.errorFiles!.csv), 'utf8')).toBe(dryErrors);
    const late = (await events()).filter((e) => JSON.stringify(e.data).includes('Užrakintas ketvirtis'));
    expect(late.map((e) => (e.data as { reportedIn?: string }).reportedIn)).toEqual(['2023-Q3']);
  });

  function personKeys(): number {
    const db = new Database(join(dir, 'person-keys.sqlite'), { readonly: true, fileMustExist: false });
    try {
      return db.prepare<[], { n: number }>('select count(*) as n from person_keys').get()!.n;
    } finally {
      db.close();
    }
  }

  async function events() {
    const store = createEventStore({ dataDir: dir, eventStoreConnectionString: undefined });
    try {
      return await store.readAll({ maxCount: 1_000_000 });
    } finally {
      await store.close();
    }
  }

  async function eventCount(): Promise<number> {
    return (await events()).length;
  }
});
