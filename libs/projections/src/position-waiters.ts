import { ReadModelNotCaughtUpError } from './projection-runner.options';

/** Read-your-writes: callers waiting for the read models to reach a position. */
export class PositionWaiters {
  private waiters: { position: number; resolve: () => void }[] = [];

  /** Resolves once `reached()` includes `position`, or fails after `timeoutMs`. */
  async waitFor(position: number, timeoutMs: number, reached: () => number): Promise<void> {
    if (reached() >= position) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new ReadModelNotCaughtUpError(position, reached()));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ position, resolve: done });
    });
  }

  /** Releases those waiting for `position` or before. */
  release(position: number): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.position <= position);
    this.waiters = this.waiters.filter((w) => w.position > position);
    for (const w of ready) w.resolve();
  }
}
