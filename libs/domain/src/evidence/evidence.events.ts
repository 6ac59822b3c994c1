/** The records a file of evidence can be attached to (their own streams are `<kind>-<id>`). */
export type EvidenceRecordKind = 'activity' | 'expenditure';

/**
 * A record's evidence lives in a stream of its own beside the record's: attaching a scanned invoice
 * changes no figure, so it must not move the record's revision (an If-Match correction stays valid),
 * nor pass the period-lock rule (an invoice of a locked quarter can still be shown).
 */
export const evidenceStreamOf = (recordStreamId: string): string => `evidence-${recordStreamId}`;

/** The kinds of file taken, as recognised by their first bytes (never by name or declared type). */
export const EVIDENCE_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

/** What the log keeps of a file; the bytes are stored by their SHA-256 beside the ledger, not in it. */
export interface EvidenceFile {
  /** Lower-case hex SHA-256 of the bytes: the file's name in the evidence store. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly mediaType: EvidenceMediaType;
  /** The uploader's file name, sanitised (evidence-name.ts). */
  readonly name: string;
}

export interface EvidenceAttached {
  readonly type: 'EvidenceAttached';
  readonly data: {
    readonly projectCode: string;
    readonly partnerId: string;
    readonly recordKind: EvidenceRecordKind;
    readonly recordId: string;
    readonly file: EvidenceFile;
  };
}

export type EvidenceEvent = EvidenceAttached;
