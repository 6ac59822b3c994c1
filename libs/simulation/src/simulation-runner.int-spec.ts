import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { GetBudgetQuery, GetProgressQuery, type Actor, type BudgetView, type ProgressView } from '@ihl/application';
import { SqliteEventStore } from '@ihl/event-store';
import { parseProjectDefinition } from '@ihl/domain';
import { LedgerCoreModule } from '@ihl/runtime';
import { planSimulation, runSimulation, type SimulationSummary } from '@ihl/simulation';

const PRIVACY = { pseudonymKeyring: `1:${'3c'.repeat(32)}`, profileMasterKey: '4d'.repeat(32) };
const definition = parseProjectDefinition(
  JSON.parse(readFileSync(join(__dirname, '../../../projects/07-003-P-0001.json'), 'utf8')),
);
const OPTIONS = { scale: 0.02, seed: 7, until: '2026-12-05' };
const AUDITOR: Actor = { subject: 'auditor', role: 'agency-auditor' };

/** The log's streams and types in order: what the commands wrote, without the drawn event ids. */
function shapeOf(dir: string): string[] {
  const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('select stream_id, type from events order by position').all() as {
      stream_id: string;
      type: string;
    }[];
    return rows.map((r) => `${r.stream_id} ${r.type}`);
  } finally {
    db.close();
  }
}

/** The ledger's own figures, from its projections, once they have read the whole log. */
async function ledgerFigures(dir: string) {
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const app = await NestFactory.createApplicationContext(
    LedgerCoreModule.forRoot({ dataDir: dir, eventStore: store, readModels: true, privacy: PRIVACY }),
    { logger: false },
  );
  await app.init();
  try {
    const params = {
      projectCode: definition.code,
      actor: AUDITOR,
      atLeastPosition: await store.headPosition(),
      waitMs: 60_000,
    };
    const bus = app.get(QueryBus);
    const progress: ProgressView = await bus.execute(new GetProgressQuery(params));
    const budget: BudgetView = await bus.execute(new GetBudgetQuery(params));
    return { progress, budget };
  } finally {
    await app.close();
    await store.close();
  }
}

describe('a small simulation written through the command bus', () => {
  const dirs: string[] = [];
  const summaries: SimulationSummary[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'ihl-simulation-'));
      dirs.push(dir);
      summaries.push(await runSimulation(planSimulation(definition, OPTIONS), { dataDir: dir, privacy: PRIVACY }));
    }
  }, 240_000);
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('sends every planned command, none refused, and the same seed writes the same ledger twice', () => {
    const [a, b] = summaries;
    expect(a!.commands).toBe(a!.figures.commands);
    expect(a!.events).toBeGreaterThan(a!.figures.records);
    expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
    expect(shapeOf(dirs[0]!)).toEqual(shapeOf(dirs[1]!));
  });

  it('has the promised shape: three target groups, every activity kind, fixes, reviews, ineligible costs, partners behind', () => {
    const f = summaries[0]!.figures;
    expect(Object.keys(f.personsByGroup).sort()).toEqual(['disabled-adult', 'disabled-child', 'elderly']);
    expect(Object.keys(f.recordsByKind).sort()).toEqual([
      'caregiver-consultation',
      'equipment-procured',
      'promotion-event',
      'psychological-support',
      'service-delivered',
      'training-held',
    ]);
    for (const n of [f.corrections, f.voids, f.verified, f.rejected, f.expenditureCorrections, f.expenditureVoids])
      expect(n).toBeGreaterThan(0);
    expect(f.ineligibleCents).toBeGreaterThan(0);
    expect(f.lockedPeriods).toBe(15);
    expect(f.partnersBehind.length).toBeGreaterThan(0);
    expect(f.partnersBehind).not.toContain('visaginas-spc');
  });

  it("matches the ledger's own figures: persons reached, by group and partner, and the budget to the cent", async () => {
    const f = summaries[0]!.figures;
    const { progress, budget } = await ledgerFigures(dirs[0]!);
    expect(progress.reached).toBe(f.personsReached);
    expect(progress.byTargetGroup).toEqual(f.personsByGroup);
    expect(Object.keys(progress.byPartner)).toContain('visaginas-spc');
    expect(Number(budget.total.allocatedCents)).toBe(f.allocatedCents);
    expect(Number(budget.total.declaredCents)).toBe(f.declaredCents);
    expect(Number(budget.total.eligibleCents)).toBe(f.eligibleCents);
    expect(Number(budget.total.ineligibleCents)).toBe(f.ineligibleCents);
  }, 120_000);
});
