import { EventIdConflictError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';

/** Why an append was refused, as the metrics label it. */
export type AppendErrorReason = 'conflict' | 'unavailable' | 'other';

export interface AppendStats {
  readonly appends: number;
  readonly events: number;
  readonly errors: Readonly<Record<AppendErrorReason, number>>;
}

export function appendErrorReason(e: unknown): AppendErrorReason {
  if (e instanceof WrongExpectedRevisionError || e instanceof EventIdConflictError) return 'conflict';
  if (e instanceof EventStoreUnavailableError) return 'unavailable';
  return 'other';
}

/**
 * What the EventStoreDB adapter counts of its appends for `/metrics`: each append is one write on
 * the server (no group commit), so there are no commits to count apart from appends.
 */
export class AppendCounters {
  private appends = 0;
  private events = 0;
  private readonly errors: Record<AppendErrorReason, number> = { conflict: 0, unavailable: 0, other: 0 };
  private readonly listeners = new Set<(seconds: number) => void>();

  succeeded(events: number, seconds: number): void {
    this.appends++;
    this.events += events;
    for (const l of this.listeners) l(seconds);
  }

  failed(e: unknown): void {
    this.errors[appendErrorReason(e)]++;
  }

  stats(): AppendStats {
    return { appends: this.appends, events: this.events, errors: { ...this.errors } };
  }

  /** Calls `listener` with each landed append's duration in seconds; returns the unsubscribe. */
  observe(listener: (seconds: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
