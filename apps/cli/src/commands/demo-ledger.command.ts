import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseProjectDefinition } from '@ihl/domain';
import { RecordIndex } from '@ihl/projections';
import { ledgerProjections } from '@ihl/runtime';
import { SIMULATOR_VERSION } from '@ihl/simulation';
import { runRebuild } from './rebuild.command';
import { defaultUntil, runSimulate } from './simulate.command';

export interface DemoLedgerOptions {
  /** A DATA_DIR without a ledger: the snapshot is copied there. */
  readonly dataDir: string;
  /** Where snapshots are kept, one directory per key (data/simulations). */
  readonly cacheDir: string;
  readonly projectFile: string;
  readonly scale: number;
  readonly seed: number;
  readonly until: string | undefined;
  readonly now: Date;
}

export interface DemoLedger {
  /** The snapshot's directory. */
  readonly snapshot: string;
  /** False when this run simulated it. */
  readonly reused: boolean;
}

/** What a snapshot holds: the log, the person keys, the read models and their pointer, the secrets, the summary. */
const SNAPSHOT_FILE =
  /^(events\.sqlite|person-keys\.sqlite|read-models[-\w.]*\.sqlite|read-models\.current|ledger\.env|simulation\.json)$/;

/**
 * The snapshot's name: the simulator's version, scale, seed and last day, and the read models'
 * names and versions, so a snapshot whose read models the code would rebuild anyway is never used.
 */
export function demoSnapshotKey(o: { scale: number; seed: number; until: string }): string {
  const versions = [
    `${RecordIndex.NAME}@${RecordIndex.VERSION}`,
    ...ledgerProjections(() => null).map((p) => `${p.name}@${p.version}`),
  ].sort();
  const readModels = createHash('sha256').update(versions.join(',')).digest('hex').slice(0, 12);
  return `v${SIMULATOR_VERSION}-scale${o.scale}-seed${o.seed}-until${o.until}-rm${readModels}`;
}

/**
 * `ledger demo-ledger`: a simulated ledger in a fresh DATA_DIR. The first run with a key simulates
 * it through the application's commands (read models off), rebuilds its read models in bulk once,
 * and keeps the whole DATA_DIR as the snapshot; every later run copies the snapshot (no replay).
 */
export async function runDemoLedger(o: DemoLedgerOptions, log: (line: string) => void): Promise<DemoLedger> {
  if (existsSync(join(o.dataDir, 'events.sqlite'))) throw new Error(`${o.dataDir} holds a ledger already`);
  const definition = parseProjectDefinition(JSON.parse(readFileSync(o.projectFile, 'utf8')));
  const until = o.until ?? defaultUntil(definition, o.now);
  const snapshot = join(o.cacheDir, demoSnapshotKey({ scale: o.scale, seed: o.seed, until }));
  const reused = existsSync(join(snapshot, 'simulation.json'));
  if (!reused) await writeSnapshot(o, until, snapshot, log);
  else log(`reusing the simulated ledger ${snapshot}`);
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(snapshot))
    if (SNAPSHOT_FILE.test(name)) copyFileSync(join(snapshot, name), join(o.dataDir, name));
  return { snapshot, reused };
}

/** Simulated into a directory of its own, renamed to the key only once complete. */
async function writeSnapshot(o: DemoLedgerOptions, until: string, snapshot: string, log: (line: string) => void) {
  const partial = `${snapshot}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  const secrets = {
    LEDGER_JWT_SECRET: randomBytes(32).toString('hex'),
    LEDGER_PSEUDONYM_KEY: `1:${randomBytes(32).toString('hex')}`,
    LEDGER_PROFILE_MASTER_KEY: randomBytes(32).toString('hex'),
  };
  // The ledger and the keys that open its pseudonyms and profiles travel together.
  const env = Object.entries(secrets).map(([k, v]) => `${k}=${v}\n`);
  writeFileSync(join(partial, 'ledger.env'), env.join(''), { mode: 0o600 });
  const config = {
    dataDir: partial,
    eventStoreConnectionString: undefined,
    privacy: { pseudonymKeyring: secrets.LEDGER_PSEUDONYM_KEY, profileMasterKey: secrets.LEDGER_PROFILE_MASTER_KEY },
  };
  const started = performance.now();
  // CPU seconds beside the wall time: on a shared host the wall time mostly says how loaded it was.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const startCpu = cpu();
  const scale = String(o.scale);
  const seed = String(o.seed);
  await runSimulate({ config, projectFile: o.projectFile, scale, seed, until, now: o.now }, log);
  const simulated = performance.now();
  const simulatedCpu = cpu();
  log(
    `simulated in ${((simulated - started) / 1000).toFixed(1)} s (CPU ${(simulatedCpu - startCpu).toFixed(1)} s); rebuilding the read models in bulk`,
  );
  const r = await runRebuild(config);
  log(
    `read models rebuilt up to position ${r.position} in ${(r.millis / 1000).toFixed(1)} s (CPU ${(cpu() - simulatedCpu).toFixed(1)} s)`,
  );
  // Another run may have finished the same key meanwhile: its snapshot is as good as this one.
  if (existsSync(join(snapshot, 'simulation.json'))) return rmSync(partial, { recursive: true, force: true });
  rmSync(snapshot, { recursive: true, force: true });
  renameSync(partial, snapshot);
}
