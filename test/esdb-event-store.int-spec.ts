import { EsdbEventStore } from '@ihl/event-store';
import { describeEventStoreContract } from '../libs/event-store/src/contract/event-store.contract';
import { startEsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';

// With EVENTSTORE_CONNECTION_STRING set, the suite runs against that real EventStoreDB/KurrentDB
// server; otherwise against the gRPC stand-in, which checks the adapter's use of the real client
// over real gRPC but not server semantics.
const real = process.env.EVENTSTORE_CONNECTION_STRING;

describeEventStoreContract(real ? 'esdb (real server)' : 'esdb (gRPC stand-in)', async () => {
  if (real) {
    const store = new EsdbEventStore({ connectionString: real });
    return { store, dispose: () => store.close() };
  }
  const server = await startEsdbStandIn();
  const store = new EsdbEventStore({ connectionString: server.connectionString });
  return {
    store,
    dispose: async () => {
      await store.close();
      await server.close();
    },
  };
});
