#!/usr/bin/env node
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  loadApiConfig,
  loadBackupConfig,
  loadCheckpointConfig,
  loadCheckpointPublicKey,
  loadMaintenanceConfig,
  loadStoreConfig,
} from '@ihl/config';
import { DomainValidationError } from '@ihl/domain';
import { createApiApp, createLedgerLog } from '@ihl/http-api';
import { resolveRedisEndpoint } from '@ihl/jobs';
import { backupSummary, runBackup } from './commands/backup.command';
import { runDemoLedger } from './commands/demo-ledger.command';
import { runImportCommand } from './commands/import.command';
import { runInit } from './commands/init.command';
import { runMigrate } from './commands/migrate.command';
import { runRebuild } from './commands/rebuild.command';
import { restoreSummary, runRestore } from './commands/restore.command';
import { runSimulate, summaryLines } from './commands/simulate.command';
import { runDemoTokens, runToken } from './commands/token.command';
import { runCheckpoint, runListCheckpoints } from './commands/checkpoint.command';
import { runVerify, runVerifyOnEventStoreDb } from './commands/verify.command';

const USAGE = `ledger <command> [options]

  init   [--project FILE]       register the project definition (default: projects/07-003-P-0001.json),
                                then migrate (when the privacy keys are set)
  migrate                       repair a ledger written by an earlier version (unkeyed request hashes);
                                safe to run again; serve runs it too
  serve  [--project FILE]       register it if needed, migrate, then serve the API on HOST:PORT
  rebuild                       replay the log into a fresh read-model file and switch to it; a running
                                api or worker keeps answering and swaps when the new file has caught up
  backup --to DIR               an online, consistent copy of the log (not the read models), the person keys
                                in their own file, the erasure journal, the evidence files and a manifest
  restore --from DIR [--erasures FILE] [--without-erasure-journal] [--public-key PUB]
                                a backup into an empty DATA_DIR, checked against its manifest; erasures
                                journalled since (LEDGER_ERASURE_JOURNAL or FILE) re-applied; the log walked
                                as verify does (a fault stops it); read models rebuilt
  simulate [--scale N] [--seed S] [--until YYYY-MM-DD]
                                write a seeded simulation of the project (scale 1 = its 4,018 persons and
                                whole envelope; default seed 1, until yesterday) into a fresh DATA_DIR,
                                through the same commands and validation as the API
  demo-ledger [--scale N] [--seed S] [--until YYYY-MM-DD] [--cache DIR]
                                a simulated ledger in a fresh DATA_DIR: copied from its snapshot under
                                DIR (data/simulations), simulated and snapshotted there the first time
  import FILE --partner ID [--dry-run] [--kind KIND] [--code PROJECT]
                                import activity records and expenditures from a .csv or .xlsx file as
                                that partner (the api's validation and commands; no Redis needed);
                                a re-import creates nothing twice; row errors go to DATA_DIR/imports
  token  --role ROLE --subject NAME [--partner ID] [--expires 8h]
                                mint a bearer token signed with LEDGER_JWT_SECRET
  demo-tokens [--expires 8h]    the demo's tokens, one NAME=token line each (ADMIN, AUDITOR, FINANCE, PARTNER,
                                and PARTNER_BEHIND with BEHIND on a simulated ledger with a partner behind)
  checkpoint                    sign the hash chain's head now with LEDGER_CHECKPOINT_KEY_FILE (Ed25519);
                                prints it and its token (SQLite and EventStoreDB)
  checkpoints                   every signed checkpoint, newest first, each with its token
  verify [--public-key FILE] [--report FILE]
                                walk the log, recompute the hash chain and check the signed checkpoints;
                                names the first altered, missing, inserted or reordered event (exit 1);
                                --report: prove an export was built on an unaltered prefix of the log

Settings come from the environment: LEDGER_JWT_SECRET, DATA_DIR (./data), HOST (127.0.0.1), PORT (3000),
EVENTSTORE_CONNECTION_STRING (EventStoreDB/KurrentDB instead of the embedded SQLite file), REDIS_URL (the job
queue; or LEDGER_REDIS=private: serve starts a redis-server under DATA_DIR/redis and stops it on exit),
LEDGER_PSEUDONYM_KEY and LEDGER_PROFILE_MASTER_KEY (serve, rebuild, migrate), LEDGER_PROJECTIONS (api or worker),
LEDGER_CHECKPOINT_KEY_FILE (Ed25519 private key, PEM: serve signs a checkpoint every LEDGER_CHECKPOINT_EVERY_EVENTS
events (10000) or LEDGER_CHECKPOINT_EVERY_MINUTES (60)), LEDGER_CHECKPOINT_PUBLIC_KEY_FILE (verify).`;

// Works from the sources and from dist/: the reference definition sits at the repository root.
function repoRoot(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  return process.cwd();
}
const DEFAULT_PROJECT = join(repoRoot(), 'projects/07-003-P-0001.json');

function projectFile(flag: string | undefined): string {
  return flag ?? process.env.LEDGER_PROJECT_FILE ?? DEFAULT_PROJECT;
}

type Flags = {
  readonly project?: string | undefined;
  readonly code?: string | undefined;
  readonly kind?: string | undefined;
  readonly 'dry-run'?: boolean | undefined;
  readonly file?: string | undefined;
  readonly role?: string | undefined;
  readonly subject?: string | undefined;
  readonly partner?: string | undefined;
  readonly expires?: string | undefined;
  readonly scale?: string | undefined;
  readonly seed?: string | undefined;
  readonly until?: string | undefined;
  readonly cache?: string | undefined;
  readonly to?: string | undefined;
  readonly from?: string | undefined;
  readonly erasures?: string | undefined;
  readonly 'without-erasure-journal'?: boolean | undefined;
  readonly report?: string | undefined;
  readonly 'public-key'?: string | undefined;
};

async function init(flags: Flags): Promise<number> {
  const r = await runInit({ ...loadStoreConfig(process.env), projectFile: projectFile(flags.project) });
  console.log(
    `${r.changed ? 'registered' : 'already registered'}: project ${r.code} (stream ${r.streamId}, revision ${r.revision}, position ${r.position})`,
  );
  if (process.env.LEDGER_PSEUDONYM_KEY && process.env.LEDGER_PROFILE_MASTER_KEY) {
    for (const line of runMigrate(loadMaintenanceConfig(process.env))) console.log(line);
  } else {
    console.log('migrate: skipped (LEDGER_PSEUDONYM_KEY and LEDGER_PROFILE_MASTER_KEY are needed): run ledger migrate');
  }
  return 0;
}

async function serve(flags: Flags): Promise<number> {
  const config = loadApiConfig(process.env);
  // A running server logs JSON lines (one shape for every line a log store ingests).
  const log = createLedgerLog({ service: 'api', ...(config.logLevel ? { level: config.logLevel } : {}) });
  const r = await runInit({
    dataDir: config.dataDir,
    eventStoreConnectionString: config.eventStoreConnectionString,
    projectFile: projectFile(flags.project),
  });
  log.info(`project ${r.code}: ${r.changed ? 'registered' : 'already registered'}`);
  for (const line of runMigrate({
    dataDir: config.dataDir,
    eventStoreConnectionString: config.eventStoreConnectionString,
    privacy: { pseudonymKeyring: config.pseudonymKeyring, profileMasterKey: config.profileMasterKey },
  }))
    log.info(line);
  // LEDGER_REDIS=private (the demo): a redis-server of this DATA_DIR, stopped when serve exits.
  const redis = await resolveRedisEndpoint(process.env, config.dataDir);
  if (redis) log.info(`job queue: ${redis.origin} (${redis.url})`);
  // Nest closes the app on these signals and then re-raises them; the server goes down at once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => redis?.releaseNow());
  // The web app opens the project serve registered.
  const served = { ...config, projectFile: projectFile(flags.project), ...(redis ? { redisUrl: redis.url } : {}) };
  const app = await createApiApp({ config: served, log, checkpoints: loadCheckpointConfig(process.env) });
  await app.listen(config.port, config.host);
  log.info(
    `Integral Help Ledger on http://${config.host}:${config.port}  (web app: /, OpenAPI: /api/docs, health: /health)`,
  );
  return -1; // keep running
}

async function rebuild(): Promise<number> {
  const r = await runRebuild(loadMaintenanceConfig(process.env));
  console.log(
    `rebuilt the read models up to position ${r.position} in ${r.millis} ms into ${r.file} (content ${r.contentHash.slice(0, 16)}); switched`,
  );
  return 0;
}

async function backup(flags: Flags): Promise<number> {
  if (!flags.to) throw new Error('backup needs --to DIR');
  console.log(backupSummary(flags.to, runBackup(loadBackupConfig(process.env), flags.to)));
  return 0;
}

async function restore(flags: Flags): Promise<number> {
  if (!flags.from) throw new Error('restore needs --from DIR');
  const r = await runRestore(loadMaintenanceConfig(process.env), {
    from: flags.from,
    erasures: flags.erasures,
    withoutErasureJournal: flags['without-erasure-journal'] === true,
    publicKey: loadCheckpointPublicKey(process.env, flags['public-key']),
  });
  for (const line of restoreSummary(r)) console.log(line);
  return 0;
}

async function simulate(flags: Flags): Promise<number> {
  const summary = await runSimulate(
    {
      config: loadMaintenanceConfig(process.env),
      projectFile: projectFile(flags.project),
      scale: flags.scale,
      seed: flags.seed,
      until: flags.until,
      now: new Date(),
    },
    (line) => console.log(line),
  );
  for (const line of summaryLines(summary)) console.log(line);
  return 0;
}

async function demoLedger(flags: Flags): Promise<number> {
  const number = (raw: string | undefined, name: string) => {
    const n = Number(raw ?? '1');
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  await runDemoLedger(
    {
      dataDir: loadStoreConfig(process.env).dataDir,
      cacheDir: flags.cache ?? 'data/simulations',
      projectFile: projectFile(flags.project),
      scale: number(flags.scale, 'scale'),
      seed: number(flags.seed, 'seed'),
      until: flags.until,
      now: new Date(),
    },
    (line) => console.log(line),
  );
  return 0;
}

async function importFile(flags: Flags): Promise<number> {
  if (!flags.file || !flags.partner) throw new Error('import needs FILE and --partner');
  const code = flags.code ?? (JSON.parse(readFileSync(projectFile(flags.project), 'utf8')) as { code: string }).code;
  const config = loadMaintenanceConfig(process.env);
  const s = await runImportCommand(config, {
    file: flags.file,
    projectCode: code,
    partnerId: flags.partner,
    dryRun: flags['dry-run'] === true,
    kind: flags.kind,
    progressBar: true,
  });
  console.log(
    `${s.dryRun ? 'dry run (nothing written): ' : ''}${s.rows} rows: ${s.imported} ${s.dryRun ? 'valid' : 'imported'}, ${s.alreadyPresent} already present, ${s.rejected} rejected (file sha256 ${s.sha256}, import ${s.importId})`,
  );
  if (s.errorFiles) console.log(`row errors: ${join(config.dataDir, 'imports', s.errorFiles.csv)} (and .xlsx)`);
  return s.rejected > 0 ? 3 : 0;
}

/** HS256 tokens are minted for the embedded default only: with LEDGER_JWKS_URL, the issuer mints them. */
function tokenSettings() {
  const config = loadApiConfig(process.env);
  if (config.jwksUrl || !config.jwtSecret) {
    throw new Error(
      'token mints HS256 tokens for the embedded default only: with LEDGER_JWKS_URL, the issuer mints them',
    );
  }
  return { secret: config.jwtSecret, issuer: config.jwtIssuer, maxLifetimeSeconds: config.tokenMaxLifetimeSeconds };
}

async function token(flags: Flags): Promise<number> {
  const settings = tokenSettings();
  if (!flags.role || !flags.subject) throw new Error('token needs --role and --subject');
  console.log(
    await runToken({
      ...settings,
      role: flags.role,
      subject: flags.subject,
      partnerId: flags.partner,
      expiresIn: flags.expires ?? '8h',
    }),
  );
  return 0;
}

/** `NAME=token` lines for the demo script; a simulated ledger's summary names a partner behind its share. */
async function demoTokens(flags: Flags): Promise<number> {
  const settings = tokenSettings();
  const summary = join(loadStoreConfig(process.env).dataDir, 'simulation.json');
  const behind = existsSync(summary)
    ? (JSON.parse(readFileSync(summary, 'utf8')) as { figures?: { partnersBehind?: string[] } }).figures
        ?.partnersBehind?.[0]
    : undefined;
  const tokens = await runDemoTokens({ ...settings, expiresIn: flags.expires ?? '8h', partnerBehind: behind });
  for (const [name, value] of tokens) console.log(`${name}=${value}`);
  if (behind) console.log(`BEHIND=${behind}`);
  return 0;
}

async function checkpoint(): Promise<number> {
  const lines = await runCheckpoint({
    dataDir: process.env.DATA_DIR ?? './data',
    eventStoreConnectionString: process.env.EVENTSTORE_CONNECTION_STRING,
    key: loadCheckpointConfig(process.env)?.key ?? null,
  });
  for (const line of lines) console.log(line);
  return 0;
}

async function checkpoints(): Promise<number> {
  const lines = await runListCheckpoints({
    dataDir: process.env.DATA_DIR ?? './data',
    eventStoreConnectionString: process.env.EVENTSTORE_CONNECTION_STRING,
  });
  for (const line of lines) console.log(line);
  return 0;
}

async function verify(flags: Flags): Promise<number> {
  const settings = {
    dataDir: process.env.DATA_DIR ?? './data',
    eventStoreConnectionString: process.env.EVENTSTORE_CONNECTION_STRING,
    publicKey: loadCheckpointPublicKey(process.env, flags['public-key']),
    report: flags.report,
  };
  const esdb = settings.eventStoreConnectionString;
  const r = esdb
    ? await runVerifyOnEventStoreDb({ ...settings, eventStoreConnectionString: esdb })
    : runVerify(settings);
  for (const line of r.lines) console.log(line);
  return r.ok ? 0 : 1;
}

async function help(): Promise<number> {
  console.log(USAGE);
  return 0;
}

/** Each command answers its exit code; -1 keeps the process running (serve). */
const COMMANDS: Record<string, (flags: Flags) => Promise<number>> = {
  init,
  migrate: async () => {
    for (const line of runMigrate(loadMaintenanceConfig(process.env))) console.log(line);
    return 0;
  },
  serve,
  rebuild,
  backup,
  restore,
  simulate,
  'demo-ledger': demoLedger,
  import: importFile,
  token,
  'demo-tokens': demoTokens,
  checkpoint,
  checkpoints,
  verify,
  help,
  '--help': help,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: command === 'import',
    options: {
      project: { type: 'string' },
      code: { type: 'string' },
      kind: { type: 'string' },
      'dry-run': { type: 'boolean' },
      role: { type: 'string' },
      subject: { type: 'string' },
      partner: { type: 'string' },
      expires: { type: 'string', default: '8h' },
      scale: { type: 'string' },
      seed: { type: 'string' },
      until: { type: 'string' },
      cache: { type: 'string' },
      to: { type: 'string' },
      from: { type: 'string' },
      erasures: { type: 'string' },
      'without-erasure-journal': { type: 'boolean' },
      report: { type: 'string' },
      'public-key': { type: 'string' },
    },
    strict: true,
  });
  if (command === undefined) return help();
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run) return run({ ...values, file: positionals[0] });
  console.error(`unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof ConfigError || e instanceof DomainValidationError) console.error(e.message);
    else console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
