import { randomUUID } from 'node:crypto';
import { EsdbEventStore } from '@ihl/event-store';
import { startEsdbStandIn } from './test/esdb-stand-in/esdb-stand-in.server';
(async () => {
  const server = await startEsdbStandIn();
  const store = new EsdbEventStore({ connectionString: server.connectionString });
  await store.append('a-1', [{ eventId: randomUUID(), type: 'A', data: {} }], 'any');
  const sub = store.subscribeToAll({ onEvent: () => { throw new Error('x'); }, onError: (e) => console.log('error cb', e.message) });
  await new Promise((r) => setTimeout(r, 300));
  const t = Date.now();
  await sub.close(); console.log('sub closed', Date.now() - t);
  await store.close(); console.log('store closed', Date.now() - t);
  await server.close(); console.log('server closed', Date.now() - t);
})();
