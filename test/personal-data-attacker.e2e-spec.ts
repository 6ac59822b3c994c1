import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { migrateLegacyRequestHashes } from '@ihl/runtime';
import { Pseudonymizer, RequestFingerprinter, parseKeyring } from '@ihl/privacy';
import { CODE, TEST_KEYS, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import {
  PERSONS,
  PROFILE_GUESSES,
  SERVICE_PATH,
  bruteForce,
  filesBelow,
  idempotencyKeyOf,
  serviceBody,
  writeScenario,
} from './support/personal-data-scenario';

// Plays an attacker who can read DATA_DIR (a backup, a replica, an administrator) and the logs, and
// holds no key: every code of a small known range is tried against every file by every unkeyed
// derivation the ledger uses or used.

const subjectsOf = { partner: 'visaginas-user', admin: 'admin-1' };

/** Collects what the process writes to stdout and stderr (Nest's logger, console) while `act` runs. */
async function capturingLogs<T>(act: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const tap =
    (write: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      lines.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(original.out) as typeof process.stdout.write;
  process.stderr.write = tap(original.err) as typeof process.stderr.write;
  try {
    return { result: await act(), lines };
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }
}

async function caughtUp(t: LedgerTestApp): Promise<void> {
  // A read at the head waits for the read models, so their files hold everything written.
  const position = await t.store.headPosition();
  await request(t.base)
    .get(url(`/progress?position=${position}`))
    .set(t.as('auditor'))
    .expect(200);
}

describe('an attacker with the data files and the logs, and no key', () => {
  it('finds no person of the range in a ledger written now (services, a retry, erasures)', async () => {
    const { lines } = await capturingLogs(async () => {
      const t = await startLedgerTestApp(undefined, {}, { logs: true });
      try {
        await seedProject(t);
        await writeScenario(t.base, CODE, { partner: t.tokens.partnerA, admin: t.tokens.admin });
        // A retry and a refused reuse of a key: both paths compare fingerprints.
        const first = PERSONS[0]!;
        await request(t.base)
          .post(SERVICE_PATH(CODE))
          .set(t.as('partnerA'))
          .set('Idempotency-Key', idempotencyKeyOf(0))
          .send(serviceBody(first.code, first.profile))
          .expect(200);
        await request(t.base)
          .post(SERVICE_PATH(CODE))
          .set(t.as('partnerA'))
          .set('Idempotency-Key', idempotencyKeyOf(0))
          .send(serviceBody(first.code, { ...first.profile, disability: false }))
          .expect(409);
        // A malformed code is refused without being echoed or logged.
        const bad = await request(t.base)
          .post(SERVICE_PATH(CODE))
          .set(t.as('partnerA'))
          .send(serviceBody(`${first.code}1`, first.profile))
          .expect((r) => expect(r.status).toBeGreaterThanOrEqual(400));
        expect(JSON.stringify(bad.body)).not.toContain(first.code);
        await caughtUp(t);
        const found = bruteForce(filesBelow(t.dir), CODE, subjectsOf);
        expect(found).toEqual([]);
        // Holding the pseudonym key alone does not help with an erased person's profile: the keyed
        // part of a fingerprint is the same whatever the profile was.
        const ring = parseKeyring(TEST_KEYS.LEDGER_PSEUDONYM_KEY);
        const attacker = new RequestFingerprinter(
          ring,
          new Pseudonymizer(ring),
          { digestFor: () => 'no-person-key' },
          Buffer.alloc(32),
        );
        const erased = PERSONS.find((p) => p.erased)!;
        const keyedParts = new Set(
          PROFILE_GUESSES.filter((profile) => profile !== undefined).map((profile) =>
            attacker
              .fingerprint({
                method: 'POST',
                path: SERVICE_PATH(CODE),
                subject: subjectsOf.partner,
                body: serviceBody(erased.code, profile),
              })
              .value(),
          ),
        );
        expect(keyedParts.size).toBe(1);
      } finally {
        await t.close();
      }
    });
    const logged = lines.join('');
    expect(logged.length).toBeGreaterThan(0); // the app did log (its start-up at least)
    expect(bruteForce([{ name: 'logs', text: logged }], CODE, subjectsOf)).toEqual([]);
  });

  describe('a ledger written before the keyed fingerprints (test/fixtures/legacy-ledger)', () => {
    const copy = () => {
      const dir = mkdtempSync(join(tmpdir(), 'ihl-legacy-'));
      cpSync(join(__dirname, 'fixtures/legacy-ledger'), dir, { recursive: true });
      return dir;
    };
    const settings = (dir: string) => ({
      dataDir: dir,
      eventStoreConnectionString: undefined,
      privacy: {
        pseudonymKeyring: TEST_KEYS.LEDGER_PSEUDONYM_KEY,
        profileMasterKey: TEST_KEYS.LEDGER_PROFILE_MASTER_KEY,
      },
    });

    it('gives the persons away before the migration and nothing after it; a second run changes nothing', () => {
      const dir = copy();
      const before = bruteForce(filesBelow(dir), CODE, subjectsOf);
      // Every person served, with the exact profile sent, and the erased ones through their erasure too.
      for (const p of PERSONS) {
        expect(before).toContainEqual(
          expect.objectContaining({ code: p.code, profile: p.profile, how: 'SHA-256 of the service request' }),
        );
        if (p.erased)
          expect(before).toContainEqual(
            expect.objectContaining({ code: p.code, how: 'SHA-256 of the erasure request' }),
          );
      }
      const report = migrateLegacyRequestHashes(settings(dir));
      // 2 project events and 2 unerased persons' record + profile are rekeyed; the erased persons'
      // record, profile and erasure are dropped.
      expect(report).toEqual({ supported: true, rekeyed: 6, dropped: 6, checkpointed: true });
      expect(bruteForce(filesBelow(dir), CODE, subjectsOf)).toEqual([]);
      expect(migrateLegacyRequestHashes(settings(dir))).toEqual({
        supported: true,
        rekeyed: 0,
        dropped: 0,
        checkpointed: true,
      });
    });

    it('retries with the keys used before the migration keep their answers after it', async () => {
      const dir = copy();
      const retry = async (t: LedgerTestApp, i: number, profile: object | undefined, status: number) =>
        request(t.base)
          .post(SERVICE_PATH(CODE))
          .set(t.as('partnerA'))
          .set('Idempotency-Key', idempotencyKeyOf(i))
          .send(serviceBody(PERSONS[i]!.code, profile))
          .expect(status);
      // Before: the old hashes are still recognised.
      let t = await startLedgerTestApp(undefined, {}, { dir });
      const answers = [];
      for (const i of PERSONS.keys()) answers.push((await retry(t, i, PERSONS[i]!.profile, 200)).body);
      await t.app.close();
      await t.store.close();
      migrateLegacyRequestHashes(settings(dir));
      t = await startLedgerTestApp(undefined, {}, { dir });
      try {
        const head = await t.store.headPosition();
        for (const i of PERSONS.keys()) expect((await retry(t, i, PERSONS[i]!.profile, 200)).body).toEqual(answers[i]);
        // Another body under a rekeyed key is still refused.
        await retry(t, 0, { ...PERSONS[0]!.profile, disability: false }, 409);
        await request(t.base)
          .post(SERVICE_PATH(CODE))
          .set(t.as('partnerA'))
          .set('Idempotency-Key', idempotencyKeyOf(0))
          .send({ ...serviceBody(PERSONS[0]!.code, PERSONS[0]!.profile), durationMinutes: 30 })
          .expect(409);
        expect(await t.store.headPosition()).toBe(head);
      } finally {
        await t.close();
      }
    });
  });
});
