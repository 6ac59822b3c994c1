/**
 * The wait before try `attempt` (1-based) of something that failed: doubled from `initialMs` each
 * time up to `maxMs`, drawn between half and all of it ("equal jitter"), so that many clients that
 * lost the same server do not all come back at the same instant, and none waits less than half.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
