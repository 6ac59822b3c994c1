/**
 * A file import as the ledger remembers it: who ran it (the event's metadata), when, which file (its
 * SHA-256) and what came of it. The records it created carry its id in their metadata (`importId`).
 */
export interface ImportCompleted {
  readonly type: 'ImportCompleted';
  readonly data: {
    readonly importId: string;
    readonly projectCode: string;
    readonly partnerId: string;
    readonly fileSha256: string;
    readonly format: 'csv' | 'xlsx';
    readonly rows: number;
    readonly imported: number;
    readonly alreadyPresent: number;
    readonly rejected: number;
  };
}

export type ImportEvent = ImportCompleted;

export const importStreamId = (importId: string): string => `import-${importId}`;
