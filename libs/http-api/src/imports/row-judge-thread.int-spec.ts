import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closeRowJudges,
  judgedRows,
  rowsJudgedByThreads,
  surveyCsv,
  warmRowJudge,
  type JudgedRow,
  type JudgedRowsSource,
} from '@ihl/imports';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { importRowValidator, importRowValidatorModule } from './import-row-validator';

const ROWS = 3_000;
const code = (i: number) => {
  const ten = `4${40 + (i % 50)}0${1 + Math.floor(i / 50)}01123`;
  return ten + String(personalCodeCheckDigit(ten));
};

/** Row i: valid home visits (a personal code) and promotion events, and every kind of refusal now and then. */
function line(i: number): string {
  const day = `2024.0${1 + (i % 5)}.${String(1 + (i % 28)).padStart(2, '0')}`;
  const visit = (c: string) => `service-delivered;;;${day};nursing;elderly;home;${30 + (i % 90)};${c};nurse-${i};;;`;
  const event = (attendees: string) => `promotion-event;;;${day};;;;;;;community;Renginys ${i};${attendees}`;
  if (i % 97 === 0) return `no-such-kind;;;${day};;;;;;;;;`;
  if (i % 89 === 0) return event('daug');
  if (i % 83 === 0) return `promotion-event;;kitas-partneris;${day};;;;;;;community;Renginys ${i};3`;
  if (i % 79 === 0)
    return `promotion-event;00000000-0000-4000-8000-${String(i).padStart(12, '0')};;${day};;;;;;;community;R ${i};3`;
  if (i % 71 === 0) return visit('12345678901');
  // Every 400th row repeats an earlier one: the same identity.
  const n = i % 400 === 399 ? i - 1 : i;
  return n % 5 === 0 ? visit(code(n % 200)) : event(String(1 + (n % 50)));
}

async function all(rows: AsyncIterable<JudgedRow>): Promise<JudgedRow[]> {
  const out: JudgedRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe("an import's rows judged on the worker thread", () => {
  let dir: string;
  let source: Omit<JudgedRowsSource, 'from'>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-row-judge-'));
    const file = join(dir, 'rows.csv');
    const header =
      'Rūšis;Įrašo ID;Partneris;Data;Paslauga;Tikslinė grupė;Vieta;Trukmė (min.);Asmens kodas;Darbuotojas;Auditorija;Pavadinimas;Lankytojų';
    writeFileSync(file, [header, ...Array.from({ length: ROWS }, (_, i) => line(i))].join('\n'));
    const csv = await surveyCsv(file);
    source = {
      file,
      csv,
      kind: null,
      scope: { projectCode: '07-003-P-0001', partnerId: 'visaginas-spc' },
      total: csv.rows,
      batch: 500,
      validator: importRowValidator,
    };
    // Loading the API's validator in the thread takes seconds from source: loaded first, it judges from row 2 on.
    expect(await warmRowJudge(importRowValidatorModule)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await closeRowJudges();
    rmSync(dir, { recursive: true, force: true });
  });

  it('judges every row as this thread does: the same issues, records and ids, in file order', async () => {
    const here = await all(judgedRows({ ...source, from: 0 }));
    const before = rowsJudgedByThreads();
    const there = await all(judgedRows({ ...source, from: 0, validatorModule: importRowValidatorModule }));
    expect(rowsJudgedByThreads() - before).toBe(ROWS - 1);
    expect(here).toHaveLength(ROWS);
    expect(here.filter((r) => 'issues' in r).length).toBeGreaterThan(90);
    // Rows with a personal code leave the thread without an id: it is keyed on the main thread.
    expect(here.filter((r) => !('issues' in r) && r.id === undefined).length).toBeGreaterThan(400);
    expect(there).toEqual(here);
  }, 120_000);

  it("goes on from a resumed import's row as this thread does", async () => {
    const here = await all(judgedRows({ ...source, from: 1_234 }));
    const there = await all(judgedRows({ ...source, from: 1_234, validatorModule: importRowValidatorModule }));
    expect(here).toHaveLength(ROWS - 1_234);
    expect(there).toEqual(here);
  }, 120_000);

  it('a file of two chunks or less is judged on this thread', async () => {
    const before = rowsJudgedByThreads();
    const there = await all(judgedRows({ ...source, from: ROWS - 1_000, validatorModule: importRowValidatorModule }));
    expect(there).toHaveLength(1_000);
    expect(rowsJudgedByThreads()).toBe(before);
  }, 120_000);
});
