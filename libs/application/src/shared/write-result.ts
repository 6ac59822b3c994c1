/** What every write answers: the record's stream, its revision (the ETag) and the global position. */
export interface WriteResult {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  /** False when the command changed nothing (an identical retry). */
  readonly changed: boolean;
}
