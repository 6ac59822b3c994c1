export interface CheckpointScheduleOptions {
  readonly everyEvents: number;
  readonly everyMs: number;
  /** The newest committed position. */
  readonly head: () => number;
  /** Signs the head; answers its position (null: nothing to sign). */
  readonly take: () => { position: number } | null;
  /** The newest checkpoint already in the file. */
  readonly lastPosition: number;
}

/**
 * When the store signs a checkpoint on its own: after a commit that brings `everyEvents` events since
 * the last one, and every `everyMs` when anything arrived since. A failed attempt (the file busy for
 * long) is reported as a process warning and tried again at the next occasion: appends never wait on it.
 */
export class CheckpointSchedule {
  private last: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: CheckpointScheduleOptions) {
    this.last = options.lastPosition;
    this.timer = setInterval(() => {
      if (options.head() > this.last) this.take();
    }, options.everyMs);
    this.timer.unref();
  }

  afterCommit(): void {
    if (this.options.head() - this.last >= this.options.everyEvents) this.take();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private take(): void {
    try {
      const c = this.options.take();
      if (c) this.last = c.position;
    } catch (e) {
      process.emitWarning(`checkpoint not taken: ${e instanceof Error ? e.message : String(e)}`, 'LedgerCheckpoint');
    }
  }
}
