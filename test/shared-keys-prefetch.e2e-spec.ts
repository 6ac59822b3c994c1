import request from 'supertest';
import { PERSON_REGISTRY } from '@ihl/application';
import { EsdbEventStore } from '@ihl/event-store';
import { PrivacyPersonRegistry, ledgerProjections, rebuildReadModels } from '@ihl/runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE, TEST_KEYS, seedProject, startLedgerTestAppOn, url, type LedgerTestApp } from './support/ledger-test-app';
import { startEsdbStandInProcess, type EsdbStandInProcess } from './support/esdb-stand-in-process';
import { CANDIDATE_CODES, SERVICE_PATH, serviceBody } from './support/personal-data-scenario';

// Two api apps on one EventStoreDB (the gRPC stand-in, in a child process: the key store's calls block this thread) with the person keys shared on it. B starts
// after A has written PERSONS persons' profiles, so its first replay needs every key and holds none:
// the keys of a page are fetched in one round trip to the key worker, not one per person.

const PERSONS = 40;
const PROFILES = [
  { sex: 'female', birthYear: 1961, disability: true },
  { sex: 'male', disability: false },
];

describe('shared person keys: a new replica fetches a page of keys at once', () => {
  let server: EsdbStandInProcess;
  let a: LedgerTestApp<EsdbEventStore>;
  let b: LedgerTestApp<EsdbEventStore> | undefined;
  const start = () =>
    startLedgerTestAppOn(new EsdbEventStore({ connectionString: server.connectionString }), undefined, {
      LEDGER_PERSON_KEYS: 'eventstore',
      EVENTSTORE_CONNECTION_STRING: server.connectionString,
    });
  const roundTrips = (t: LedgerTestApp<EsdbEventStore>): number => {
    const persons = t.app.get(PERSON_REGISTRY);
    if (!(persons instanceof PrivacyPersonRegistry)) throw new Error('no person registry');
    return persons.keyRoundTrips ?? NaN;
  };

  beforeAll(async () => {
    server = await startEsdbStandInProcess();
    a = await start();
    await seedProject(a);
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await server?.stop();
  });

  it(`B's first replay gives A's figures with a handful of key round trips for ${PERSONS} persons`, async () => {
    let last = 0;
    for (let i = 0; i < PERSONS; i += 4) {
      const answers = await Promise.all(
        CANDIDATE_CODES.slice(i, i + 4).map((code, j) =>
          request(a.base)
            .post(SERVICE_PATH(CODE))
            .set(a.as('partnerA'))
            .send(serviceBody(code, PROFILES[(i + j) % 2]))
            .expect(201),
        ),
      );
      for (const r of answers) last = Math.max(last, r.body.position as number);
    }
    const progress = async (t: LedgerTestApp<EsdbEventStore>) =>
      (
        await request(t.base)
          .get(url(`/progress?position=${last}`))
          .set(t.as('auditor'))
          .expect(200)
      ).body;
    const onA = await progress(a);
    expect(onA.personsReached).toBe(PERSONS);
    b = await start();
    const onB = await progress(b);
    expect(onB).toEqual(onA);
    expect(onB.bySex).toEqual(expect.objectContaining({ female: PERSONS / 2, male: PERSONS / 2 }));
    // Its start (the master-key check, the log's head) and one fetch per page (the log is one page
    // of the feed); one per person without.
    expect(roundTrips(b)).toBeLessThanOrEqual(4);
  }, 180_000);

  it('a rebuild (ledger rebuild, the rebuild job) on a fresh machine fetches the keys per page too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihl-prefetch-rebuild-'));
    const store = new EsdbEventStore({ connectionString: server.connectionString });
    const persons = new PrivacyPersonRegistry({
      dataDir: dir,
      pseudonymKeyring: TEST_KEYS.LEDGER_PSEUDONYM_KEY,
      profileMasterKey: TEST_KEYS.LEDGER_PROFILE_MASTER_KEY,
      sharedPersonKeys: server.connectionString,
    });
    try {
      const r = await rebuildReadModels({
        store: persons.feedFor(store),
        dataDir: dir,
        projections: ledgerProjections((pseudonym, sealed) => persons.open(pseudonym, sealed)),
        now: () => new Date(),
        pageSize: 1000,
      });
      expect(r.position).toBe(await store.headPosition());
      expect(persons.keyRoundTrips).toBeLessThanOrEqual(4);
    } finally {
      persons.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
