import { DomainConflictError, DomainForbiddenError, DomainNotFoundError, IssueCollector } from '../shared/validation';
import { EVIDENCE_NAME_MAX } from './evidence-name';
import {
  EVIDENCE_MEDIA_TYPES,
  type EvidenceEvent,
  type EvidenceFile,
  type EvidenceRecordKind,
} from './evidence.events';

/** The files attached to one record so far, in the order they were attached. */
export interface EvidenceState {
  readonly files: readonly EvidenceFile[];
}
export const initialEvidenceState: EvidenceState = { files: [] };

/** The record a file is attached to, as its own fold shows it (null: there is no such record). */
export interface EvidenceTarget {
  readonly status: string;
  readonly projectCode: string;
  readonly partnerId: string;
}

export interface AttachEvidence {
  readonly type: 'AttachEvidence';
  readonly projectCode: string;
  readonly recordKind: EvidenceRecordKind;
  readonly recordId: string;
  readonly record: EvidenceTarget | null;
  readonly file: EvidenceFile;
}

export interface EvidenceActor {
  readonly role: string;
  readonly partnerId?: string;
}

/** Who attaches evidence: the partner to its own records, the agency and finance to any (not the admin). */
const ATTACHING_ROLES: ReadonlySet<string> = new Set(['partner-submitter', 'agency-auditor', 'finance-officer']);

export function evolveEvidence(state: EvidenceState, e: EvidenceEvent): EvidenceState {
  return { files: [...state.files, e.data.file] };
}

export function foldEvidence(events: readonly EvidenceEvent[]): EvidenceState {
  return events.reduce(evolveEvidence, initialEvidenceState);
}

/**
 * Attaching a file to a record. Another project's record, or for a partner another partner's, is
 * "not found" (so its existence is not told); a voided record takes no evidence; the same content
 * attached again is no change (the file is stored once, by its hash).
 */
export function decideEvidence(state: EvidenceState, c: AttachEvidence, actor: EvidenceActor): EvidenceEvent[] {
  const record = visibleTarget(c, actor);
  if (!ATTACHING_ROLES.has(actor.role))
    throw new DomainForbiddenError('evidence-role', 'evidence is attached by a partner, the agency or finance');
  if (record.status === 'voided')
    throw new DomainConflictError('record-voided', `the ${c.recordKind} is voided: it takes no evidence`);
  checkFile(c.file);
  if (state.files.some((f) => f.sha256 === c.file.sha256)) return [];
  return [
    {
      type: 'EvidenceAttached',
      data: {
        projectCode: c.projectCode,
        partnerId: record.partnerId,
        recordKind: c.recordKind,
        recordId: c.recordId,
        file: c.file,
      },
    },
  ];
}

function checkFile(file: EvidenceFile): void {
  const issues = new IssueCollector();
  if (!/^[0-9a-f]{64}$/.test(file.sha256)) issues.add('file', 'sha256', 'must carry a lower-case hex SHA-256');
  if (!Number.isSafeInteger(file.sizeBytes) || file.sizeBytes < 1)
    issues.add('file', 'not-empty', 'must not be empty', file.sizeBytes);
  if (!(EVIDENCE_MEDIA_TYPES as readonly string[]).includes(file.mediaType))
    issues.add('file', 'file-type', `must be one of ${EVIDENCE_MEDIA_TYPES.join(', ')}`, file.mediaType);
  if (file.name.trim() === '' || [...file.name].length > EVIDENCE_NAME_MAX)
    issues.add('file', 'name', `must have a name of 1-${EVIDENCE_NAME_MAX} characters`);
  issues.throwIfAny();
}

/** The record, when the actor may see it: another project's, or for a partner another partner's, is not found. */
export function visibleTarget(c: AttachEvidence, actor: EvidenceActor): EvidenceTarget {
  const record = c.record;
  if (!record || record.projectCode !== c.projectCode) throw new DomainNotFoundError(`no such ${c.recordKind}`);
  if (actor.role === 'partner-submitter' && actor.partnerId !== record.partnerId)
    throw new DomainNotFoundError(`no such ${c.recordKind}`);
  return record;
}
