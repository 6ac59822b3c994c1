import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { SharedKeyStoreUnavailableError, type SharedKey, type SharedKeyDirectory } from '@ihl/privacy';

/** Every person's key is the one event of its own stream: `ihl-person-key-<pseudonym>`. */
export const PERSON_KEY_STREAM_PREFIX = 'ihl-person-key-';
/**
 * A `$` type: every reader of the ledger's feed (read models, rebuilds, verify) skips `$` events as
 * the server's own, so the wrapped keys never reach a projection. The stream name is an ordinary one,
 * so writing it needs no administrator rights.
 */
export const PERSON_KEY_EVENT_TYPE = '$ihl-person-key';
const DEFAULT_TIMEOUT_MS = 10_000;
/** Reads in flight at once for a batch of keys: bounded, so a page of thousands does not flood the cluster. */
const FETCH_PARALLEL = 16;

type Reply = { id: number; ok: unknown } | { id: number; error: string };

/**
 * The worker: its own EventStoreDB client, answering one request at a time. Plain JavaScript in a
 * string, so it runs the same under the compiled app, tsx and Jest (no file to ship beside the build).
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const esdb = require(workerData.clientPath);
const { port, prefix, eventType } = workerData;
const flag = new Int32Array(workerData.flag);
const client = esdb.EventStoreDBClient.connectionString(workerData.connectionString);
const stream = (name) => prefix + name;
async function fetchKey(name) {
  try {
    for await (const r of client.readStream(stream(name), { direction: esdb.BACKWARDS, fromRevision: esdb.END, maxCount: 1 })) {
      if (r.event && r.event.data && typeof r.event.data.wrapped === 'string') return r.event.data.wrapped;
    }
    return null;
  } catch (e) {
    if (e instanceof esdb.StreamNotFoundError) return null;
    if (e instanceof esdb.StreamDeletedError) return 'erased';
    throw e;
  }
}
async function claimOne({ name, wrapped }) {
  try {
    await client.appendToStream(stream(name), esdb.jsonEvent({ type: eventType, data: { wrapped } }), { expectedRevision: esdb.NO_STREAM });
    return wrapped;
  } catch (e) {
    if (e instanceof esdb.StreamDeletedError) return 'erased';
    if (!(e instanceof esdb.WrongExpectedVersionError)) throw e;
    const held = await fetchKey(name);
    if (held === null) throw new Error('person key stream exists but holds no key');
    return held;
  }
}
async function fetchMany(names) {
  // In parallel, at most workerData.parallel reads in flight: one round trip for a whole page.
  const out = new Array(names.length);
  let next = 0;
  async function lane() {
    while (next < names.length) {
      const i = next++;
      out[i] = await fetchKey(names[i]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(workerData.parallel, names.length) }, lane));
  return out;
}
const ops = {
  fetch: fetchKey,
  fetchMany,
  claim: (entries) => Promise.all(entries.map(claimOne)),
  async destroy(name) {
    try {
      await client.tombstoneStream(stream(name), { expectedRevision: esdb.ANY });
      return true;
    } catch (e) {
      if (e instanceof esdb.StreamDeletedError) return false;
      throw e;
    }
  },
  async head() {
    for await (const r of client.readAll({ direction: esdb.BACKWARDS, fromPosition: esdb.END, maxCount: 1 })) {
      if (r.event && r.event.position) return String(r.event.position.commit);
    }
    return '0';
  },
};
port.on('message', async ({ id, op, arg }) => {
  let reply;
  try {
    reply = { id, ok: await ops[op](arg) };
  } catch (e) {
    reply = { id, error: String((e && e.message) || e) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/**
 * The person keys on EventStoreDB / KurrentDB, answered synchronously: the caller's thread waits
 * (Atomics.wait) while a worker thread makes the gRPC call. Only a key not yet held in memory costs
 * a round trip (SharedPersonKeyStore caches them), so the wait is rare and short.
 */
export class EsdbKeyDirectory implements SharedKeyDirectory {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private seq = 0;
  private closed = false;
  private calls = 0;

  constructor(
    connectionString: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        port: port2,
        flag: this.flag.buffer,
        clientPath: require.resolve('@eventstore/db-client'),
        connectionString: connectionString.replace(/^kurrent(db)?(\+discover)?:\/\//, 'esdb$2://'),
        prefix: PERSON_KEY_STREAM_PREFIX,
        eventType: PERSON_KEY_EVENT_TYPE,
        parallel: FETCH_PARALLEL,
      },
      transferList: [port2],
    });
    // Never what keeps a process from exiting; close() ends it properly.
    this.worker.unref();
  }

  fetch(name: string): SharedKey | null {
    return toKey(this.call('fetch', name) as string | null);
  }

  /** Many keys in one round trip to the worker (which reads them in parallel, bounded); in the same order. */
  fetchMany(names: readonly string[]): (SharedKey | null)[] {
    if (names.length === 0) return [];
    return (this.call('fetchMany', names) as (string | null)[]).map(toKey);
  }

  /** Round trips to the worker thread since this directory opened (each one a wait of the caller's thread). */
  get roundTrips(): number {
    return this.calls;
  }

  claim(entries: readonly { readonly name: string; readonly wrapped: Buffer }[]): SharedKey[] {
    const held = this.call(
      'claim',
      entries.map((e) => ({ name: e.name, wrapped: e.wrapped.toString('base64') })),
    ) as string[];
    return held.map((h) => toKey(h) ?? 'erased');
  }

  destroy(name: string): boolean {
    return this.call('destroy', name) === true;
  }

  /** The log's last position now: an erasure follower started from it misses nothing after this call. */
  head(): bigint {
    return BigInt(this.call('head', null) as string);
  }

  close(): void {
    if (this.closed) return;
    // Every call has been answered (they are synchronous): ending the thread ends its connection. The
    // client's own dispose() would wait for its batch-append stream, which the server never ends.
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }

  private call(op: string, arg: unknown): unknown {
    if (this.closed) throw new Error('person key store is closed');
    const id = ++this.seq;
    this.calls++;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ id, op, arg });
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received) {
        const reply = received.message as Reply;
        // A late answer to an earlier call that timed out: dropped.
        if (reply.id !== id) continue;
        if ('error' in reply)
          throw new SharedKeyStoreUnavailableError(`person key store (EventStoreDB): ${reply.error}`);
        return reply.ok;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new SharedKeyStoreUnavailableError(
          `person key store (EventStoreDB): no answer within ${this.timeoutMs} ms`,
        );
      }
      Atomics.wait(this.flag, 0, 0, left);
      Atomics.store(this.flag, 0, 0);
    }
  }
}

function toKey(value: string | null): SharedKey | null {
  if (value === null || value === 'erased') return value;
  return Buffer.from(value, 'base64');
}
