/** One request of a rate-limit test as its client saw it (its own clock, milliseconds). */
export interface LimitedRequest {
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly admitted: boolean;
}

/**
 * The most admitted requests that certainly fell within one window: a request was counted somewhere
 * between its sending and its answer, so requests sent at or after one admitted request's sending
 * and answered less than a window after it were all counted within less than a window. A limiter
 * that never lets more than its limit through in any window's span keeps this at or under the limit,
 * whatever the load did to the timings; a fixed window can exceed it across its edge.
 */
export function mostAdmittedWithinAWindow(windowMs: number, requests: readonly LimitedRequest[]): number {
  const admitted = requests.filter((r) => r.admitted).sort((a, b) => a.sentAt - b.sentAt);
  let most = 0;
  for (const [i, first] of admitted.entries()) {
    const within = admitted.slice(i).filter((r) => r.answeredAt < first.sentAt + windowMs).length;
    most = Math.max(most, within);
  }
  return most;
}
