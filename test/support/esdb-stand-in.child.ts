// The EventStoreDB stand-in in a process of its own, for tests whose own thread blocks on it (the
// shared person-key store waits synchronously for its worker thread's gRPC calls). Prints its
// connection string as one line, then serves until stdin closes or SIGTERM.
import { startEsdbStandIn } from '../esdb-stand-in/esdb-stand-in.server';

void startEsdbStandIn().then((standIn) => {
  process.stdout.write(`${standIn.connectionString}\n`);
  const stop = (): void => void standIn.close().then(() => process.exit(0));
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
});
