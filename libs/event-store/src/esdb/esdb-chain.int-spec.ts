import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { startEsdbStandIn, type EsdbStandIn } from '../../../../test/esdb-stand-in/esdb-stand-in.server';
import type { NewEvent } from '../event-store.port';
import { chainPredecessor, esdbChainStep } from './esdb-chain';
import { CHECKPOINT_STREAM } from './esdb-checkpoint';
import { CHAIN_KEY, SCHEMA_KEY } from './esdb-event.mapping';
import { EsdbEventStore } from './esdb-event-store';

const ev = (n: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'Counted',
  data: { n, text: `ž${n}` },
  metadata: { requestId: `r-${n}` },
});
const keys = () => generateKeyPairSync('ed25519');

describe('hash chain per stream and signed checkpoints on EventStoreDB (gRPC stand-in)', () => {
  let standIn: EsdbStandIn;
  let store: EsdbEventStore;
  const { privateKey, publicKey } = keys();

  beforeEach(async () => {
    standIn = await startEsdbStandIn();
    store = new EsdbEventStore({ connectionString: standIn.connectionString });
    // Streams interleaved in $all; exact revisions, no_stream, 'any' and several events at once.
    await store.append('a', [ev(0)], 'no_stream');
    await store.append('b', [ev(1), ev(2)], 'no_stream');
    await store.append('a', [ev(3), ev(4)], 0);
    await store.append('b', [ev(5)], 'any');
    await store.append('c', [ev(6)], 'any');
    await store.append('a', [ev(7)], 'stream_exists');
  });
  afterEach(async () => {
    await store.close();
    await standIn.close();
  });

  it('chains every event of a stream to its predecessor; consumers never see the hash', async () => {
    const a = await store.readAllChained();
    expect(a.map((e) => `${e.streamId}${e.revision}`)).toEqual(['a0', 'b0', 'b1', 'a1', 'a2', 'b2', 'c0', 'a3']);
    const prev = new Map<string, Buffer>();
    for (const e of a) {
      const h = esdbChainStep(prev.get(e.streamId) ?? chainPredecessor(null), e);
      expect(e.chainHash).toBe(h.toString('hex'));
      prev.set(e.streamId, h);
    }
    for (const e of [...(await store.readStream('a')), ...(await store.readAll())])
      expect(Object.keys(e.metadata)).toEqual(['requestId']);
    const verified = await store.verifyChain({ publicKey });
    expect(verified).toMatchObject({ ok: true, events: 8, checkpoints: 0, fault: null });
  });

  it('a retried append (same ids, same expectation) stores nothing new and keeps the chain whole', async () => {
    const again = ev(8);
    const first = await store.append('c', [again], 0);
    expect(await store.append('c', [again], 0)).toEqual(first);
    expect(await store.append('c', [again], 'any')).toEqual(first);
    expect(await store.readStream('c')).toHaveLength(2);
    expect((await store.verifyChain()).ok).toBe(true);
  });

  it('two adapters (replicas) appending to one stream in turn keep it chained', async () => {
    const other = new EsdbEventStore({ connectionString: standIn.connectionString });
    try {
      for (let i = 0; i < 6; i++) {
        const [writer] = i % 3 === 0 ? [other] : [store];
        const revision = await writer.streamRevision('e');
        await writer.append('e', [ev(30 + i)], revision ?? 'no_stream');
      }
      // A tail this process knew went stale: refused, nothing chained on it.
      await expect(store.append('e', [ev(40)], 4)).rejects.toMatchObject({ actual: 5 });
    } finally {
      await other.close();
    }
    expect(await store.verifyChain()).toMatchObject({ ok: true, fault: null });
  });

  it('signs checkpoints chained to each other; verify checks them with the public key', async () => {
    const one = await store.signCheckpoint(privateKey);
    expect(one).toMatchObject({ streams: 3, position: await store.headPosition() });
    expect(await store.signCheckpoint(privateKey)).toEqual(one); // nothing moved: the same one
    await store.append('b', [ev(9)], 2);
    const two = await store.signCheckpoint(privateKey);
    expect(two).toMatchObject({ streams: 1 });
    expect(two!.previous).not.toBe(one!.previous);
    expect(await store.readCheckpoints()).toEqual([one, two]);
    expect(await store.readAll()).toHaveLength(9); // the checkpoints stay out of the feed
    expect(await store.verifyChain({ publicKey })).toMatchObject({ ok: true, checkpoints: 2, signaturesChecked: true });
  });

  it('names an altered event', async () => {
    const [, target] = await store.readAllChained({ maxCount: 2 });
    standIn.editStoredEvent('b', 0, { data: { n: 1, text: 'ž100' } });
    const r = await store.verifyChain();
    expect(r.fault).toEqual({
      position: target!.position,
      kind: 'altered',
      detail: 'stream b revision 0: its content does not match its chain hash',
    });
    expect(r.ok).toBe(false);
  });

  it('names a missing event', async () => {
    const a2 = (await store.readAllChained()).find((e) => e.streamId === 'a' && e.revision === 2)!;
    standIn.editStoredEvent('a', 1, 'remove');
    expect((await store.verifyChain()).fault).toEqual({
      position: a2.position,
      kind: 'missing',
      detail: 'stream a revision 2 where revision 1 was due',
    });
  });

  it('names an event slipped in without a hash by another program', async () => {
    const client = EventStoreDBClient.connectionString(standIn.connectionString);
    try {
      await client.appendToStream('a', jsonEvent({ type: 'Counted', data: { n: 99 } }));
    } finally {
      await client.dispose();
    }
    const r = await store.verifyChain();
    expect(r.fault).toMatchObject({
      kind: 'inserted',
      detail: 'stream a revision 4 carries no chain hash: not written by the ledger',
    });
  });

  it('an alteration with the stream re-hashed passes the stream walk but not the signed checkpoint', async () => {
    await store.signCheckpoint(privateKey);
    // Stream b's first event changed, and every hash of the stream computed anew over it.
    const forgedData = { n: 1, text: 'forged' };
    let prev = chainPredecessor(null);
    for (const e of (await store.readAllChained()).filter((x) => x.streamId === 'b')) {
      const data = e.revision === 0 ? forgedData : e.data;
      prev = esdbChainStep(prev, { ...e, data });
      const metadata = { ...e.metadata, [SCHEMA_KEY]: 1, [CHAIN_KEY]: prev.toString('hex') };
      standIn.editStoredEvent('b', e.revision, { data, metadata });
    }
    const r = await store.verifyChain({ publicKey });
    expect(r.fault).toMatchObject({ kind: 'checkpoint', position: await store.headPosition() });
    expect(r.fault!.detail).toMatch(/the stream heads recomputed from the log differ from the signed ones/);
  });

  it('refuses a forged checkpoint: another key, or one that does not chain to the one before', async () => {
    await store.signCheckpoint(privateKey);
    await store.append('c', [ev(10)], 0);
    const forger = new EsdbEventStore({ connectionString: standIn.connectionString });
    try {
      await forger.signCheckpoint(keys().privateKey);
    } finally {
      await forger.close();
    }
    const r = await store.verifyChain({ publicKey });
    expect(r.fault).toMatchObject({
      kind: 'checkpoint',
      detail: expect.stringMatching(/the signature does not match$/),
    });
    expect(r.events).toBe(9);

    // Signed with the right key but written over the chain of checkpoints (the first one dropped).
    const fresh = await startEsdbStandIn();
    const other = new EsdbEventStore({ connectionString: fresh.connectionString });
    try {
      await other.append('a', [ev(11)], 'no_stream');
      await other.signCheckpoint(privateKey);
      await other.append('a', [ev(12)], 0);
      const second = (await other.signCheckpoint(privateKey))!;
      // The first checkpoint's record replaced by a copy of the second: a gap in the chain of checkpoints.
      fresh.editStoredEvent(CHECKPOINT_STREAM, 0, { data: second });
      const broken = await other.verifyChain({ publicKey });
      expect(broken.fault).toMatchObject({ kind: 'checkpoint' });
      expect(broken.fault!.detail).toMatch(/does not chain to the checkpoint before it$/);
    } finally {
      await other.close();
      await fresh.close();
    }
  });

  it('two replicas signing on their schedules keep one chain of checkpoints', async () => {
    const replicas = [0, 1].map(
      () =>
        new EsdbEventStore({
          connectionString: standIn.connectionString,
          checkpoints: { key: privateKey, everyMs: 20 },
        }),
    );
    try {
      for (let i = 0; i < 4; i++) {
        await replicas[i % 2]!.append('d', [ev(20 + i)], i === 0 ? 'no_stream' : i - 1);
        const p = await store.headPosition();
        const signed = () => store.readCheckpoints().then((cs) => cs.some((c) => c.position === p));
        for (let waited = 0; !(await signed()); waited++) {
          if (waited > 500) throw new Error(`no checkpoint at ${p}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
    expect(await store.verifyChain({ publicKey })).toMatchObject({ ok: true, fault: null });
    expect((await store.readCheckpoints()).length).toBeGreaterThanOrEqual(4);
  });
});
