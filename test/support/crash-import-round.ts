// One crash round of an import job: a CSV import run by the real worker (apps/worker) against a real
// redis-server, the worker (and in some rounds the api) SIGKILLed at a seeded moment, both restarted,
// the job resumed by BullMQ's stalled check, then the log, the row errors, a re-import and the read
// models checked. Used by the short crash suite and, with CRASH_ROUNDS, by the long randomized run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { StoredEvent } from '@ihl/event-store';
import { writeImportCsv, type ImportFileExpectation } from './crash-import-file';
import { PROJECT, exited, readLog, readModelHashes, seeded, startServe, tokens, type Running } from './crash-round';
import { WorkerChild, until } from './worker-child';

export type ImportCrashMode = 'worker' | 'worker-and-api';
/** Where the kill is aimed: before the first chunk is written, right after a chunk's checkpoint, or inside the next chunk. */
export type KillMoment = 'parsing' | 'between-chunks' | 'in-chunk';
const MOMENTS: readonly KillMoment[] = ['parsing', 'between-chunks', 'in-chunk'];
const CHUNK = 500;

export interface ImportCrashResult {
  readonly seed: number;
  readonly mode: ImportCrashMode;
  readonly moment: KillMoment;
  readonly rows: number;
  /** Rows the job reported done when it was killed (null: it had not reported yet). */
  readonly doneAtKill: number | null;
  /** Records of the import in the log at the kill. */
  readonly recordsAtKill: number;
  /** Rows the import's checkpoint file held done at the kill. */
  readonly checkpointedAtKill: number;
  /**
   * Records of rows past that checkpoint: the kill fell after a chunk's commit and before its
   * checkpoint (the chunk is redone and its records found present).
   */
  readonly pastCheckpointAtKill: number;
  readonly summary: ImportSummaryView;
  readonly readModelHash: string;
  /** Milliseconds since the round began at each step (reported, never asserted). */
  readonly at: Record<string, number>;
}

interface ImportSummaryView {
  readonly rows: number;
  readonly imported: number;
  readonly alreadyPresent: number;
  readonly rejected: number;
}

interface ImportView {
  readonly state: string;
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly summary: ImportSummaryView | null;
  readonly errors: { readonly csv: string } | null;
  readonly failedReason?: string;
}

type Auth = { Authorization: string };

async function upload(base: string, auth: Auth, file: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), 'visits.csv');
  form.append('kind', 'service-delivered');
  const res = await fetch(`${base}${PROJECT}/imports`, { method: 'POST', headers: auth, body: form });
  if (res.status !== 202) throw new Error(`the upload answered ${res.status}: ${await res.text()}`);
  return res.headers.get('location')!;
}

async function importView(base: string, auth: Auth, location: string): Promise<ImportView> {
  const res = await fetch(`${base}${location}`, { headers: auth });
  if (res.status !== 200) throw new Error(`${location} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as ImportView;
}

async function finished(base: string, auth: Auth, location: string, worker: WorkerChild): Promise<ImportView> {
  let last: ImportView | null = null;
  await until(
    async () => {
      last = await importView(base, auth, location);
      return last.state === 'completed' || last.state === 'failed';
    },
    () => `import ${location} did not finish: ${JSON.stringify(last)}\n${worker.output}`,
    400_000,
  );
  const view = last!;
  if (view.state !== 'completed') throw new Error(`import ${location} failed: ${view.failedReason}\n${worker.output}`);
  return view;
}

/** The seeded moment: a random wait after the upload, or the progress of a chosen chunk (and a random wait). */
async function killMoment(
  moment: KillMoment,
  random: () => number,
  watch: { base: string; auth: Auth; location: string; rows: number },
): Promise<number | null> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  if (moment === 'parsing') {
    await sleep(Math.floor(random() * 1000));
    return (await importView(watch.base, watch.auth, watch.location)).progress?.done ?? null;
  }
  const chunks = Math.ceil(watch.rows / CHUNK);
  const target = CHUNK * (1 + Math.floor(random() * (chunks - 1)));
  let done: number | null = null;
  // How long the chunk before the target took (the first: from the upload): the host's pace.
  let seen = Date.now();
  let pace = 0;
  await until(
    async () => {
      const v = await importView(watch.base, watch.auth, watch.location);
      if ((v.progress?.done ?? null) !== done) [pace, seen] = [Date.now() - seen, Date.now()];
      done = v.progress?.done ?? null;
      return (done ?? 0) >= target || v.state === 'completed' || v.state === 'failed';
    },
    () => `the import never reached row ${target}`,
  );
  // Anywhere in the next chunk's validation, commands, commit and checkpoint, at this host's pace.
  if (moment === 'in-chunk') await sleep(Math.floor(random() * pace));
  return done;
}

function dataField(e: StoredEvent, name: string): unknown {
  const d = e.data;
  return d !== null && typeof d === 'object' && !Array.isArray(d) ? d[name] : undefined;
}

/** The import's records (stream → its events) and profiles in the log; throws on any half or double write. */
function importInLog(events: readonly StoredEvent[], importId: string, expected: ImportFileExpectation) {
  const records = new Map<string, StoredEvent[]>();
  const profiles: StoredEvent[] = [];
  const served = new Set<string>();
  for (const e of events) {
    if (e.metadata['importId'] !== importId) continue;
    if (e.streamId.startsWith('activity-')) records.set(e.streamId, [...(records.get(e.streamId) ?? []), e]);
    if (e.type === 'PersonProfileRecorded') profiles.push(e);
    if (e.type === 'ServiceDelivered') served.add(JSON.stringify(e.data).match(/"pseudonym":"([^"]+)"/)?.[1] ?? '');
  }
  for (const [stream, list] of records)
    if (list.length !== 1 || list[0]!.type !== 'ServiceDelivered')
      throw new Error(`${stream} holds ${list.map((e) => e.type).join(',')}: not one record`);
  for (const id of expected.refusedIds)
    if (records.has(`activity-${id}`)) throw new Error(`the refused row's record ${id} is in the log`);
  const given = [...records.keys()].filter((s) => expected.ids.has(s.slice('activity-'.length)));
  if (records.size - given.length > expected.derived)
    throw new Error(`${records.size - given.length} records of rows without an id, the file has ${expected.derived}`);
  const pseudonyms = profiles.map((e) => String(dataField(e, 'pseudonym')));
  if (new Set(pseudonyms).size !== pseudonyms.length) throw new Error('a person profile recorded twice');
  const orphan = pseudonyms.find((p) => !served.has(p));
  if (orphan !== undefined) throw new Error(`a profile without its record: person ${orphan.slice(0, 8)}…`);
  return { streams: new Set(records.keys()), records: records.size, given: given.length, profiles: profiles.length };
}

/** The row errors the api serves: exactly the refused rows, each once, by line and rule. */
async function checkRowErrors(base: string, auth: Auth, view: ImportView, expected: ImportFileExpectation) {
  const res = await fetch(`${base}${view.errors!.csv}`, { headers: auth });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`the row errors answered ${res.status}: ${text}`);
  if (/\d{11}/.test(text)) throw new Error('a personal code in the row errors');
  const byLine = (a: { row: number }, b: { row: number }) => a.row - b.row;
  const lines = (parse(text, { columns: true }) as Record<string, string>[]).map((l) => ({
    row: Number(l['row']),
    rule: String(l['rule']),
  }));
  const got = JSON.stringify(lines.sort(byLine));
  const want = JSON.stringify([...expected.errors].sort(byLine));
  if (got !== want) throw new Error(`row errors ${got}\nexpected ${want}`);
}

/** The finished import against the file and the log: every valid row once, the summary the log's. */
function checkImported(events: readonly StoredEvent[], importId: string, view: ImportView, e: ImportFileExpectation) {
  const inLog = importInLog(events, importId, e);
  const s = view.summary!;
  const valid = e.ids.size + e.derived + e.duplicates;
  if (inLog.given !== e.ids.size || inLog.records !== e.ids.size + e.derived || inLog.profiles !== e.persons)
    throw new Error(`in the log ${JSON.stringify(inLog)}; the file has ${e.ids.size} ids, ${e.derived} without`);
  if (s.rows !== e.rows || s.rejected !== e.errors.length || s.imported + s.alreadyPresent !== valid)
    throw new Error(`summary ${JSON.stringify(s)}: ${e.rows} rows, ${e.errors.length} refused, ${valid} valid`);
  if (s.imported > inLog.records) throw new Error(`summary ${JSON.stringify(s)} imports more than the log holds`);
  const recorded = events.filter((x) => x.streamId === `import-${importId}`);
  const counts = recorded.map((x) => ['rows', 'imported', 'alreadyPresent', 'rejected'].map((k) => dataField(x, k)));
  if (JSON.stringify(counts) !== JSON.stringify([[s.rows, s.imported, s.alreadyPresent, s.rejected]]))
    throw new Error(`the import recorded ${JSON.stringify(counts)}, its summary ${JSON.stringify(s)}`);
  return inLog;
}

/**
 * The worker feeds the read models (LEDGER_PROJECTIONS=worker), so a kill of it stops projection
 * batches too.
 */
const processEnv = (redisUrl: string): NodeJS.ProcessEnv => ({ REDIS_URL: redisUrl, LEDGER_PROJECTIONS: 'worker' });

interface Processes {
  api: Running;
  readonly worker: WorkerChild;
}

/** Upload, kill at the seeded moment, check the log as the kill left it, restart what was killed. */
async function crashImport(dir: string, redisUrl: string, p: Processes, round: RoundPlan) {
  const auth = { Authorization: `Bearer ${(await tokens()).partner}` };
  const location = await upload(p.api.base, auth, round.file);
  const importId = location.split('/').at(-1)!;
  const doneAtKill = await killMoment(round.moment, round.random, {
    base: p.api.base,
    auth,
    location,
    rows: round.expected.rows,
  });
  const killing = [p.worker.kill()];
  if (round.mode === 'worker-and-api') {
    p.api.child.kill('SIGKILL');
    killing.push(exited(p.api.child));
  }
  await Promise.all(killing);
  const atKill = importInLog(await readLog(dir), importId, round.expected);
  const checkpoint = join(dir, 'imports', `${importId}.checkpoint.json`);
  const checkpointedAtKill = existsSync(checkpoint) ? Number(JSON.parse(readFileSync(checkpoint, 'utf8')).rowsDone) : 0;
  const pastCheckpointAtKill = round.expected.idByRow
    .slice(checkpointedAtKill)
    .filter((id) => id !== '' && atKill.streams.has(`activity-${id}`)).length;
  // Both on a data directory set up before: started side by side (a started api is stopped by the round).
  const [api, worker] = await Promise.allSettled([
    round.mode === 'worker-and-api' ? startServe(dir, processEnv(redisUrl)) : Promise.resolve(p.api),
    p.worker.start(),
  ]);
  if (api.status === 'fulfilled') p.api = api.value;
  for (const r of [api, worker]) if (r.status === 'rejected') throw r.reason;
  return {
    auth,
    location,
    importId,
    doneAtKill,
    recordsAtKill: atKill.records,
    checkpointedAtKill,
    pastCheckpointAtKill,
  };
}

interface RoundPlan {
  readonly seed: number;
  readonly mode: ImportCrashMode;
  readonly moment: KillMoment;
  readonly random: () => number;
  readonly file: string;
  readonly expected: ImportFileExpectation;
}

export async function importCrashRound(
  dir: string,
  redisUrl: string,
  seed: number,
  mode: ImportCrashMode,
  rows: number,
): Promise<ImportCrashResult> {
  const began = Date.now();
  const at: Record<string, number> = {};
  const mark = (step: string) => (at[step] = Date.now() - began);
  const random = seeded(seed);
  const moment = MOMENTS[Math.floor(random() * MOMENTS.length)]!;
  const file = join(dir, 'visits.csv');
  const round: RoundPlan = { seed, mode, moment, random, file, expected: writeImportCsv(file, rows, random) };
  const p: Processes = {
    api: await startServe(dir, processEnv(redisUrl)),
    worker: new WorkerChild(dir, redisUrl, processEnv(redisUrl)),
  };
  try {
    await p.worker.start();
    mark('started');
    const crash = await crashImport(dir, redisUrl, p, round);
    mark('restarted');
    const view = await finished(p.api.base, crash.auth, crash.location, p.worker);
    mark('resumed');
    const before = await readLog(dir);
    const inLog = checkImported(before, crash.importId, view, round.expected);
    if (crash.recordsAtKill === 0 && view.summary!.imported !== inLog.records)
      throw new Error(`nothing was written before the kill, yet ${JSON.stringify(view.summary)}`);
    await checkRowErrors(p.api.base, crash.auth, view, round.expected);
    // The same file again: everything already present, the same rows refused, no record more.
    const again = await finished(p.api.base, crash.auth, await upload(p.api.base, crash.auth, file), p.worker);
    const valid = view.summary!.imported + view.summary!.alreadyPresent;
    const s = again.summary!;
    if (s.imported !== 0 || s.alreadyPresent !== valid || s.rejected !== round.expected.errors.length)
      throw new Error(`the re-import came to ${JSON.stringify(s)}`);
    const after = await readLog(dir);
    const records = (events: readonly StoredEvent[]) => events.filter((e) => e.streamId.startsWith('activity-')).length;
    mark('reimported');
    if (records(after) !== records(before))
      throw new Error(`the re-import wrote ${records(after) - records(before)} records`);
    await caughtUp(p.api.base, after.at(-1)!.position);
    await stopAll(p);
    const hashes = await readModelHashes(dir);
    if (hashes.live !== hashes.rebuilt)
      throw new Error(`read models ${hashes.live} differ from a fresh rebuild ${hashes.rebuilt}`);
    mark('checked');
    const summary = view.summary!;
    return {
      seed,
      mode,
      moment,
      rows,
      doneAtKill: crash.doneAtKill,
      recordsAtKill: crash.recordsAtKill,
      checkpointedAtKill: crash.checkpointedAtKill,
      pastCheckpointAtKill: crash.pastCheckpointAtKill,
      summary,
      readModelHash: hashes.live,
      at,
    };
  } finally {
    await stopAll(p, 'SIGKILL');
  }
}

/** Waits (the api's own wait) until the api's read models hold `position`. */
async function caughtUp(base: string, position: number): Promise<void> {
  const auditor = (await tokens()).auditor;
  const res = await fetch(`${base}${PROJECT}/progress?position=${position}`, {
    headers: { Authorization: `Bearer ${auditor}` },
  });
  if (res.status !== 200) throw new Error(`the api did not catch up: ${res.status} ${await res.text()}`);
}

async function stopAll(p: Processes, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const api = p.api.child;
  if (api.exitCode === null && api.signalCode === null) api.kill(signal);
  await Promise.all([p.worker.kill(signal), exited(api)]);
}
