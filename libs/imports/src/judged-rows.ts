import { csvRows, type CsvSurvey } from './csv-rows';
import type { ImportKind } from './import-columns';
import type { ImportRowValidator } from './import-validator.port';
import { judgeRow, type JudgedRow, type JudgeScope } from './row-judge';
import { acquireRowJudge, type ValidatorModule } from './row-judge.pool';
import { xlsxRows } from './xlsx-rows';

export interface JudgedRowsSource {
  readonly file: string;
  readonly csv: CsvSurvey | null;
  readonly kind: ImportKind | null;
  readonly scope: JudgeScope;
  /** Rows already done (a resumed import): read past, not judged. */
  readonly from: number;
  /** Data rows in the file (the survey's count). */
  readonly total: number;
  readonly batch: number;
  readonly validator: ImportRowValidator;
  /** The same validator for a worker thread; without it every row is judged on this thread. */
  readonly validatorModule?: ValidatorModule;
}

/**
 * The file's rows judged, in file order. A file of more than two chunks is judged by the pool's
 * worker thread, so the parsing and the validation of the next rows run on another core than the
 * batch commands of the rows before; until the thread has loaded (seconds, the first time) this
 * thread judges them, and the thread takes over from the next row.
 */
export async function* judgedRows(s: JudgedRowsSource): AsyncGenerator<JudgedRow> {
  const thread = s.validatorModule && s.total - s.from > 2 * s.batch ? acquireRowJudge(s.validatorModule) : null;
  try {
    let seen = 0;
    let handOver = false;
    const rows = s.csv ? csvRows(s.file, s.csv, s.kind) : xlsxRows(s.file);
    for await (const row of rows) {
      if (seen++ < s.from) continue;
      yield await judgeRow(row, s.scope, s.validator);
      if (thread?.ready) {
        handOver = true;
        break;
      }
    }
    if (handOver && thread)
      yield* thread.judged({ file: s.file, csv: s.csv, kind: s.kind, scope: s.scope, skip: seen, batch: s.batch });
  } finally {
    thread?.release();
  }
}
