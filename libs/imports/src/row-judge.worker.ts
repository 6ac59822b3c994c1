/**
 * The import's row-judging thread (a worker_threads worker, see row-judge.pool.ts): it reads the
 * file, builds each row's body and validates it with the API's validator while the main thread runs
 * the batch commands of the rows it handed over before. It holds no person key: rows whose identity
 * needs a personal code keyed are handed over without their id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { csvRows } from './csv-rows';
import type { ImportRowValidator } from './import-validator.port';
import { judgeRow, type JudgedRow } from './row-judge';
import type { RowJob, ToRowJudge, ValidatorModule } from './row-judge.pool';
import type { SourceRow } from './source-row';
import { xlsxRows } from './xlsx-rows';

const port = parentPort!;

/** One file's rows, judged a batch at a time as the main thread asks for them (at most two ahead). */
class RowJobRun {
  private demand = 0;
  private pumping = false;
  private done = false;
  private seen = 0;
  private readonly rows: AsyncGenerator<SourceRow>;

  constructor(
    readonly job: RowJob,
    private readonly validator: ImportRowValidator,
  ) {
    this.rows = job.csv ? csvRows(job.file, job.csv, job.kind) : xlsxRows(job.file);
  }

  more(): void {
    this.demand++;
    void this.pump();
  }

  stop(): void {
    this.done = true;
    this.rows.return(undefined).catch(() => undefined);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.demand > 0 && !this.done) {
        this.demand--;
        const rows = await this.batch();
        port.postMessage({ type: 'rows', jobId: this.job.jobId, rows, done: this.done });
      }
    } catch (e) {
      this.done = true;
      const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
      const message = e instanceof Error ? e.message : String(e);
      port.postMessage({ type: 'failed', jobId: this.job.jobId, message, ...(code ? { code } : {}) });
    } finally {
      this.pumping = false;
    }
  }

  private async batch(): Promise<JudgedRow[]> {
    const out: JudgedRow[] = [];
    while (out.length < this.job.batch) {
      const next = await this.rows.next();
      if (next.done) {
        this.done = true;
        break;
      }
      if (this.seen++ < this.job.skip) continue;
      out.push(await judgeRow(next.value, this.job.scope, this.validator));
    }
    return out;
  }
}

function loadValidator(v: ValidatorModule): ImportRowValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named at run time
  const found: unknown = (require(v.module) as Record<string, unknown>)[v.name];
  if (typeof found !== 'object' || found === null || !('validate' in found) || typeof found.validate !== 'function')
    throw new Error(`${v.module} exports no row validator ${v.name}`);
  return found as ImportRowValidator;
}

const validator = loadValidator((workerData as { validator: ValidatorModule }).validator);
let current: RowJobRun | null = null;
port.on('message', (m: ToRowJudge) => {
  if (m.type === 'job') {
    current?.stop();
    current = new RowJobRun(m.job, validator);
  } else if (current && m.jobId === current.job.jobId) {
    if (m.type === 'more') current.more();
    else current.stop();
  }
});
port.postMessage({ type: 'ready' });
