import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { ledgerProjections, readModelHash } from '@ihl/runtime';
import {
  TEST_KEYS,
  lithuanianCode,
  seedProject,
  startLedgerTestApp,
  type LedgerTestApp,
  url,
} from './support/ledger-test-app';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

/** `ledger rebuild` in its own process, against the data directory of a running api. */
describe('ledger rebuild: a fresh read-model file swapped in without stopping reads', () => {
  let t: LedgerTestApp;
  let last = 0;

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    for (const [i, code] of ['4450301123', '3470702123', '4500303123'].map(lithuanianCode).entries()) {
      const res = await request(t.base)
        .post(url('/activities/service-deliveries'))
        .set(t.as(i === 2 ? 'partnerB' : 'partnerA'))
        .send({
          occurredOn: `2024-0${i + 3}-01`,
          service: 'care',
          targetGroup: 'elderly',
          setting: 'home',
          durationMinutes: 30,
          recipient: { personalCode: code, profile: { sex: i === 1 ? 'male' : 'female', birthYear: 1945 + i } },
        })
        .expect(201);
      last = res.body.position;
    }
    await request(t.base).put(url('/allocations/visaginas-spc/staff')).set(t.as('finance')).send({ amount: '100.00' });
    const spent = await request(t.base)
      .post(url('/expenditures'))
      .set(t.as('partnerA'))
      .send({ categoryId: 'staff', amount: '33.33', occurredOn: '2024-04-02', documentRef: 'INV-1', description: 'x' })
      .expect(201);
    last = spent.body.position;
  }, 30_000);
  afterAll(() => t.close());

  const hashOf = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return readModelHash(
        db,
        ledgerProjections(() => null),
      );
    } finally {
      db.close();
    }
  };

  it('rebuilds from position 0 in another process, swaps, keeps answering, and gives the same content', async () => {
    const progress = (
      await request(t.base)
        .get(url(`/progress?position=${last}`))
        .set(t.as('auditor'))
        .expect(200)
    ).body;
    const budget = (
      await request(t.base)
        .get(url(`/budget?position=${last}`))
        .set(t.as('finance'))
        .expect(200)
    ).body;
    const oldFile = join(t.dir, 'read-models.sqlite');
    const liveHash = hashOf(oldFile);

    // Readers keep asking all through the rebuild and the swap.
    const statuses: number[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const r = await request(t.base).get(url('/progress')).set(t.as('auditor'));
        statuses.push(r.status);
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'rebuild'], {
      cwd: ROOT,
      env: { ...process.env, ...TEST_KEYS, DATA_DIR: t.dir },
    });
    expect(stdout).toMatch(/rebuilt the read models up to position \d+ .* switched/);
    const pointed = readFileSync(join(t.dir, 'read-models.current'), 'utf8').trim();
    expect(pointed).toMatch(/^read-models-\d{8}T\d{6}-[0-9a-f]{6}\.sqlite$/);
    // The rebuilt file, before the api writes to it, holds exactly what the live file held.
    expect(hashOf(join(t.dir, pointed))).toBe(liveHash);
    expect(stdout).toContain(liveHash.slice(0, 16));

    // The api notices the pointer, catches the new file up, swaps and removes the old file.
    for (let i = 0; i < 100 && existsSync(oldFile); i++) await new Promise((res) => setTimeout(res, 50));
    expect(existsSync(oldFile)).toBe(false);
    reading = false;
    await reader;
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // Same answers from the new file, and writes keep flowing into it.
    expect((await request(t.base).get(url('/progress')).set(t.as('auditor')).expect(200)).body).toEqual(progress);
    expect((await request(t.base).get(url('/budget')).set(t.as('finance')).expect(200)).body).toEqual(budget);
    const later = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerB'))
      .send({
        occurredOn: '2024-06-01',
        service: 'care',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 30,
        recipient: { personalCode: lithuanianCode('3391111123') },
      })
      .expect(201);
    const after = await request(t.base)
      .get(url(`/progress?position=${later.body.position}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(after.body.personsReached).toBe(progress.personsReached + 1);
  }, 60_000);
});
