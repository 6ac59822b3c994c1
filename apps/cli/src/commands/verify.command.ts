import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import {
  CHECKPOINT_STREAM,
  EsdbEventStore,
  esdbCheckpointHash,
  fromLedgerCheckpoint,
  verifyEsdbCheckpointSignature,
  verifyEventLog,
  type ChainVerification,
  type LedgerCheckpoint,
} from '@ihl/event-store';
import { findLedgerStamp, type LedgerStamp } from '@ihl/jobs';

export interface VerifySettings {
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  /** Checks the checkpoints' signatures; null: only their hashes (say so). */
  readonly publicKey: KeyObject | null;
  /** `--report FILE`: prove that file was built on an unaltered prefix of this log. */
  readonly report?: string | undefined;
}

export interface VerifyOutcome {
  readonly ok: boolean;
  readonly lines: string[];
}

/**
 * `ledger verify [--report FILE]`: walks the log and recomputes the hash chain; the first altered,
 * missing, inserted or reordered event, or a checkpoint that does not match, fails it (exit code 1).
 */
export function runVerify(s: VerifySettings): VerifyOutcome {
  if (s.eventStoreConnectionString) {
    return { ok: false, lines: ['verify: on EventStoreDB the walk is asynchronous: runVerifyOnEventStoreDb'] };
  }
  const file = join(s.dataDir, 'events.sqlite');
  const key = s.publicKey ? { publicKey: s.publicKey } : {};
  if (!s.report) return describe(verifyEventLog(file, key), null);
  const stamp = reportStamp(s.report, s.publicKey);
  if (!('checkpoint' in stamp)) return stamp;
  if (stamp.checkpoint.esdb) return failed(stamp.checkpoint.position, ON_OTHER_STORE('EventStoreDB log'));
  // Up to the report's own position: the signed prefix, then the chain alone up to where it was built.
  return describe(verifyEventLog(file, { ...key, upTo: stamp.position, expect: stamp.checkpoint }), stamp);
}

const ON_OTHER_STORE = (store: string) =>
  `the report's checkpoint is an ${store}'s, not this one's: verify it against the log it was built on`;

const failed = (position: number, detail: string, kind = 'checkpoint'): VerifyOutcome => ({
  ok: false,
  lines: [`verify: FAILED at position ${position} (${kind}): ${detail}`],
});

/** The stamp of a report and what every store checks first, or the outcome that refuses it. */
function reportStamp(report: string, publicKey: KeyObject | null): LedgerStamp | VerifyOutcome {
  if (!publicKey) {
    return {
      ok: false,
      lines: ['verify: --report needs the public key (--public-key or LEDGER_CHECKPOINT_PUBLIC_KEY_FILE)'],
    };
  }
  const stamp = findLedgerStamp(reportText(report));
  if (!stamp) return { ok: false, lines: [`verify: ${report} carries no ledger checkpoint (IHL-CHECKPOINT/1)`] };
  const c = stamp.checkpoint;
  if (stamp.position < c.position) {
    return failed(
      c.position,
      `the report says it was built at position ${stamp.position}, before its checkpoint's ${c.position}: the token is not the one it was built on`,
    );
  }
  return stamp;
}

/**
 * `ledger verify [--report FILE]` on EventStoreDB: every stream's chain and the signed checkpoints
 * kept in the server (docs/tamper-evidence.md); with a report, up to the report's position.
 */
export async function runVerifyOnEventStoreDb(s: VerifySettings & { eventStoreConnectionString: string }) {
  const stamp = s.report ? reportStamp(s.report, s.publicKey) : null;
  if (stamp && !('checkpoint' in stamp)) return stamp;
  const store = new EsdbEventStore({ connectionString: s.eventStoreConnectionString });
  try {
    const key = s.publicKey ? { publicKey: s.publicKey } : {};
    if (!stamp) return describe(await store.verifyChain(key), null);
    const refused = await refuseEsdbCheckpoint(store, stamp.checkpoint, s.publicKey!);
    return refused ?? describe(await store.verifyChain({ ...key, upTo: stamp.position }), stamp);
  } finally {
    await store.close();
  }
}

/** A report's checkpoint must be signed by the key and be the one kept at its position in the server. */
async function refuseEsdbCheckpoint(
  store: EsdbEventStore,
  token: LedgerCheckpoint,
  publicKey: KeyObject,
): Promise<VerifyOutcome | null> {
  const c = fromLedgerCheckpoint(token);
  if (!c) return failed(token.position, ON_OTHER_STORE('embedded SQLite log'));
  if (!verifyEsdbCheckpointSignature(c, publicKey))
    return failed(c.position, "the report's checkpoint: the signature does not match");
  const kept = (await store.readCheckpoints()).find((k) => k.position === c.position);
  if (!kept || esdbCheckpointHash(kept) !== esdbCheckpointHash(c))
    return failed(c.position, `the report's checkpoint is not the one kept at its position in ${CHECKPOINT_STREAM}`);
  return null;
}

const MAX_REPORT_TEXT = 256 * 1024 * 1024;

/**
 * The text a report's checkpoint can be found in (export-stamp writes it): a PDF's info and text
 * (poppler's pdfinfo, pdftotext), an XLSX's parts unzipped (its keywords and its "Patikra" sheet),
 * any other file (CSV, JSON, XML) as its bytes.
 */
function reportText(path: string): string {
  const bytes = readFileSync(path);
  const magic = bytes.subarray(0, 5).toString('latin1');
  const run = (tool: string, args: string[]) =>
    execFileSync(tool, args, { encoding: 'latin1', maxBuffer: MAX_REPORT_TEXT });
  if (magic.startsWith('PK\x03\x04')) return run('unzip', ['-p', path]);
  if (magic !== '%PDF-') return bytes.toString('latin1');
  return `${run('pdfinfo', [path])}\n${run('pdftotext', [path, '-'])}`;
}

function describe(r: ChainVerification, report: LedgerStamp | null): VerifyOutcome {
  const signatures = r.signaturesChecked ? 'signatures checked' : 'signatures NOT checked: no public key given';
  const lines = [
    `verify: ${r.events} events walked, chain head ${r.headHash.slice(0, 16)}…, ${r.checkpoints} checkpoints (${signatures})`,
  ];
  if (r.fault) lines.push(`verify: FAILED at position ${r.fault.position} (${r.fault.kind}): ${r.fault.detail}`);
  else if (report) {
    const c = report.checkpoint;
    lines.push(
      `verify: OK: the report was built on positions 1–${report.position}, unaltered since the checkpoint of ${c.takenAt}`,
    );
    if (report.position > c.position)
      lines.push(
        `verify: positions ${c.position + 1}–${report.position} were after that checkpoint: their chain matches, but no signature covers them`,
      );
  } else lines.push('verify: OK');
  return { ok: r.ok, lines };
}
