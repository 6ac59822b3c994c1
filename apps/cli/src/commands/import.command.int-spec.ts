import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { createEventStore } from '@ihl/event-store';
import { TEST_KEYS, lithuanianCode } from '../../../../test/support/ledger-test-app';
import { runImportCommand } from './import.command';
import { runInit } from './init.command';

const PROJECT = join(__dirname, '../../../../projects/07-003-P-0001.json');
const CODE = '07-003-P-0001';

describe('ledger import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ihl-import-cli-'));
  const config = {
    dataDir: dir,
    eventStoreConnectionString: undefined,
    privacy: {
      pseudonymKeyring: TEST_KEYS.LEDGER_PSEUDONYM_KEY,
      profileMasterKey: TEST_KEYS.LEDGER_PROFILE_MASTER_KEY,
    },
  };
  const person = lithuanianCode('4400101123');
  const csv = join(dir, 'visits.csv');

  beforeAll(async () => {
    await runInit({ dataDir: dir, eventStoreConnectionString: undefined, projectFile: PROJECT });
    // Windows-1257, `;`, decimal commas, both date forms, Lithuanian headers, the kind per row.
    const text = [
      'Rūšis;Data;Paslauga;Tikslinė grupė;Vieta;Trukmė (min.);Asmens kodas;Mokymų rūšis;Tema;Dalyvių;Kategorija;Aprašymas;Kiekis;Vieneto kaina;Iš viso;Tiekėjas;Sutarties nr.',
      `service-delivered;2024.03.14;nursing;elderly;home;90;${person};;;;;;;;;;`,
      'training-held;2024-03-15;;;;120;;competence;Slaugos žinių ąčęėįšųūž;12;;;;;;;',
      'equipment-procured;2024-03-16;;;;;;;;;nursing-aid;Keltuvas;2;12,50;25,00;UAB Šviesa;S-1',
      `service-delivered;2024-03-17;nursing;elderly;home;0;${person};;;;;;;;;;`,
    ].join('\r\n');
    writeFileSync(csv, iconv.encode(`${text}\r\n`, 'win1257'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (dryRun = false) =>
    runImportCommand(config, { file: csv, projectCode: CODE, partnerId: 'visaginas-spc', dryRun });

  it('a dry run writes nothing', async () => {
    const s = await run(true);
    expect(s).toMatchObject({ rows: 4, imported: 3, alreadyPresent: 0, rejected: 1, dryRun: true });
    expect(await recordStreams()).toEqual([]);
  });

  it('imports the good rows with the API commands, reports the bad one, and a re-import adds nothing', async () => {
    const first = await run();
    expect(first).toMatchObject({ rows: 4, imported: 3, alreadyPresent: 0, rejected: 1 });
    const streams = await recordStreams();
    expect(streams).toHaveLength(3);
    const errors = readFileSync(join(dir, 'imports', first.errorFiles!.csv), 'utf8');
    expect(errors.split('\n')[0]).toBe('sheet,row,column,value,rule,message');
    expect(errors).toMatch(/^csv,5,Trukmė \(min\.\) \/ Duration \(minutes\),0,/m);
    expect(errors).not.toContain(person);
    const equipment = await eventOf(streams, 'EquipmentProcured');
    expect(equipment.data).toMatchObject({
      fields: { unitPriceCents: 1250, totalCents: 2500, supplier: 'UAB Šviesa' },
    });
    const training = await eventOf(streams, 'TrainingHeld');
    expect(training.data).toMatchObject({ fields: { topic: 'Slaugos žinių ąčęėįšųūž', occurredOn: '2024-03-15' } });
    expect(training.metadata).toMatchObject({ importId: first.importId });

    const again = await run();
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 3, rejected: 1 });
    expect(await recordStreams()).toHaveLength(3);
  });

  async function recordStreams(): Promise<string[]> {
    const store = createEventStore({ dataDir: dir, eventStoreConnectionString: undefined });
    try {
      const ids = new Set<string>();
      for (const e of await store.readAll({ maxCount: 100_000 }))
        if (/^(activity|expenditure)-/.test(e.streamId)) ids.add(e.streamId);
      return [...ids];
    } finally {
      await store.close();
    }
  }

  async function eventOf(streams: string[], type: string) {
    const store = createEventStore({ dataDir: dir, eventStoreConnectionString: undefined });
    try {
      for (const s of streams) for (const e of await store.readStream(s)) if (e.type === type) return e;
      throw new Error(`no ${type}`);
    } finally {
      await store.close();
    }
  }
});
