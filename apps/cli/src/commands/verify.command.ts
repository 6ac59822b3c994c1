import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import {
  EsdbEventStore,
  findCheckpointToken,
  verifyEventLog,
  type ChainVerification,
  type Checkpoint,
} from '@ihl/event-store';

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
  const c = findCheckpointToken(reportText(s.report));
  if (!c) return { ok: false, lines: [`verify: ${s.report} carries no ledger checkpoint (IHL-CHECKPOINT/1)`] };
  return describe(verifyEventLog(file, { ...key, upTo: c.position, expect: c }), c);
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

/** The text a report's checkpoint can be found in: PDFs through pdftotext and their info; others as bytes. */
function reportText(path: string): string {
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return bytes.toString('latin1');
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return `${info}\n${execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' })}`;
}

function describe(r: ChainVerification, report: Checkpoint | null): VerifyOutcome {
  const signatures = r.signaturesChecked ? 'signatures checked' : 'signatures NOT checked: no public key given';
  const lines = [
    `verify: ${r.events} events walked, chain head ${r.headHash.slice(0, 16)}…, ${r.checkpoints} checkpoints (${signatures})`,
  ];
  if (r.fault) lines.push(`verify: FAILED at position ${r.fault.position} (${r.fault.kind}): ${r.fault.detail}`);
  else if (report) {
    lines.push(
      `verify: OK: the report was built on positions 1–${report.position}, unaltered since the checkpoint of ${report.takenAt}`,
    );
  } else lines.push('verify: OK');
  return { ok: r.ok, lines };
}
