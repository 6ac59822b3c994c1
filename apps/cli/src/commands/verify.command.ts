import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { EsdbEventStore, verifyEventLog, type ChainVerification } from '@ihl/event-store';
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
  if (!s.publicKey) {
    return {
      ok: false,
      lines: ['verify: --report needs the public key (--public-key or LEDGER_CHECKPOINT_PUBLIC_KEY_FILE)'],
    };
  }
  const stamp = findLedgerStamp(reportText(s.report));
  if (!stamp) return { ok: false, lines: [`verify: ${s.report} carries no ledger checkpoint (IHL-CHECKPOINT/1)`] };
  const c = stamp.checkpoint;
  if (stamp.position < c.position) {
    const detail = `the report says it was built at position ${stamp.position}, before its checkpoint's ${c.position}: the token is not the one it was built on`;
    return { ok: false, lines: [`verify: FAILED at position ${c.position} (checkpoint): ${detail}`] };
  }
  // Up to the report's own position: the signed prefix, then the chain alone up to where it was built.
  return describe(verifyEventLog(file, { ...key, upTo: stamp.position, expect: c }), stamp);
}

/**
 * `ledger verify` on EventStoreDB: every stream's chain and the signed checkpoints kept in the
 * server (docs/tamper-evidence.md). Reports carry SQLite checkpoints, so `--report` is refused here.
 */
export async function runVerifyOnEventStoreDb(s: VerifySettings & { eventStoreConnectionString: string }) {
  if (s.report)
    return { ok: false, lines: ['verify: --report is for the embedded SQLite log only (docs/tamper-evidence.md)'] };
  const store = new EsdbEventStore({ connectionString: s.eventStoreConnectionString });
  try {
    return describe(await store.verifyChain(s.publicKey ? { publicKey: s.publicKey } : {}), null);
  } finally {
    await store.close();
  }
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
