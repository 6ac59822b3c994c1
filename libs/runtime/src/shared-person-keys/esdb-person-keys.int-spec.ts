import { randomBytes } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { EsdbEventStore } from '@ihl/event-store';
import {
  MasterKeyMismatchError,
  PersonErasedError,
  SharedKeyStoreUnavailableError,
  type PersonKeys,
} from '@ihl/privacy';
import { startEsdbStandInProcess, type EsdbStandInProcess } from '../../../../test/support/esdb-stand-in-process';
import { EsdbKeyDirectory, PERSON_KEY_STREAM_PREFIX } from './esdb-key-directory';
import { openPersonKeys } from './person-keys.factory';

// Two replicas' key stores (separate data directories) on one EventStoreDB stand-in, which runs in
// a child process: the key store's thread waits synchronously for its worker's gRPC calls.

const pseudonym = (): string => `p1_${randomBytes(32).toString('hex')}`;
const PROFILE = { sex: 'female', disability: 'MARKER-hearing-impairment-7f3a' };

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}

describe('person keys shared on EventStoreDB (LEDGER_PERSON_KEYS=eventstore)', () => {
  let standIn: EsdbStandInProcess;
  let client: EventStoreDBClient;
  const masterKey = randomBytes(32);
  const open: PersonKeys[] = [];
  const replica = (key = masterKey): PersonKeys => {
    const store = openPersonKeys({ dataDir: '/nonexistent', masterKey: key, sharedOn: standIn.connectionString });
    open.push(store);
    return store;
  };

  beforeAll(async () => {
    standIn = await startEsdbStandInProcess();
    client = EventStoreDBClient.connectionString(standIn.connectionString);
  });
  afterAll(async () => {
    open.forEach((s) => s.close());
    await client?.dispose();
    await standIn?.stop();
  });

  it('a profile sealed on one replica opens on the other; a new person raced by both gets one key', () => {
    const a = replica();
    const b = replica();
    const p = pseudonym();
    const sealed = a.encryptProfile(p, PROFILE);
    expect(b.decryptProfile(p, sealed)).toEqual(PROFILE);
    const q = pseudonym();
    b.ensureKeys([q]);
    expect(a.decryptProfile(q, b.encryptProfile(q, { sex: 'male' }))).toEqual({ sex: 'male' });
    expect(a.digestFor(q, 'same text')).toBe(b.digestFor(q, 'same text'));
  });

  it('keeps the wrapped key in its own stream, as a `$` event the ledger readers pass over', async () => {
    const a = replica();
    const p = pseudonym();
    a.encryptProfile(p, PROFILE);
    const raw: string[] = [];
    for await (const r of client.readStream(PERSON_KEY_STREAM_PREFIX + p)) raw.push(JSON.stringify(r.event?.data));
    expect(raw).toHaveLength(1);
    expect(raw[0]).toMatch(/^\{"wrapped":"[A-Za-z0-9+/=]+"\}$/);
    const ledger = new EsdbEventStore({ connectionString: standIn.connectionString });
    try {
      expect((await ledger.readAll()).some((e) => e.streamId.startsWith(PERSON_KEY_STREAM_PREFIX))).toBe(false);
    } finally {
      await ledger.close();
    }
  });

  it('an erasure on one replica destroys the key (tombstone); the other drops its copy when the erasure event arrives', async () => {
    const a = replica();
    const b = replica();
    const p = pseudonym();
    const sealed = a.encryptProfile(p, PROFILE);
    expect(b.decryptProfile(p, sealed)).toEqual(PROFILE);
    expect(a.erase(p)).toBe(true);
    expect(a.decryptProfile(p, sealed)).toBeNull();
    // A replica started now finds the tombstone at once.
    expect(replica().decryptProfile(p, sealed)).toBeNull();
    // What the erase command appends next, on whichever replica: B follows it.
    await client.appendToStream(
      `person-${p}`,
      jsonEvent({ type: 'PersonErased', data: { pseudonym: p, reason: 'x' } }),
    );
    await eventually(() => b.decryptProfile(p, sealed) === null, 'replica B drops the erased key');
    expect(b.isErased(p)).toBe(true);
    expect(() => b.encryptProfile(p, PROFILE)).toThrow(PersonErasedError);
    expect(b.erase(p)).toBe(false);
    await expect(async () => {
      for await (const _ of client.readStream(PERSON_KEY_STREAM_PREFIX + p)) void _;
    }).rejects.toThrow(/deleted/);
  });

  it('refuses a replica started with another master key', () => {
    replica();
    expect(() => replica(randomBytes(32))).toThrow(MasterKeyMismatchError);
  });

  it('fails a call in bounded time when the store does not answer', () => {
    const directory = new EsdbKeyDirectory('esdb://127.0.0.1:1?tls=false', 300);
    try {
      expect(() => directory.fetch(pseudonym())).toThrow(SharedKeyStoreUnavailableError);
    } finally {
      directory.close();
    }
  });
});
