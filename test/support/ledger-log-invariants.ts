import type { StoredEvent } from '@ihl/event-store';

// Invariants of the shared design (section 4) read off the log alone, in its order, without the
// reference model: allocations never over the envelope; nothing reported into a locked period after
// its lock (a record dated in it is a late entry, reported in a period not locked; a plain
// correction or a void of a record whose report is locked never lands); one effect per
// Idempotency-Key. Returns every breach found.

interface Held {
  readonly occurredOn: string;
  readonly reportedIn?: string;
}

export function checkLogInvariants(
  log: readonly StoredEvent[],
  envelopeCents: number,
  periodOf: (date: string) => string,
): string[] {
  const problems: string[] = [];
  const locked = new Set<string>();
  const records = new Map<string, Held>();
  const effectOfKey = new Map<string, string>();
  let allocated = 0;
  const reportLocked = (r: Held) => locked.has(r.reportedIn ?? periodOf(r.occurredOn));
  for (const e of log) {
    const data = e.data as Record<string, unknown>;
    const key = e.metadata.idempotencyKey;
    if (typeof key === 'string') {
      const correlation = String(e.metadata.correlationId);
      if ((effectOfKey.get(key) ?? correlation) !== correlation) problems.push(`key ${key} has two effects`);
      effectOfKey.set(key, correlation);
    }
    if (e.type === 'AllocationSet') {
      allocated += Number(data.amountCents) - Number(data.previousCents);
      if (allocated > envelopeCents) problems.push(`allocations ${allocated} over the envelope at ${e.position}`);
    } else if (e.type === 'PeriodLocked') locked.add(String(data.periodId));
    else if (e.type === 'PeriodReopened') locked.delete(String(data.periodId));
    else if (e.type === 'InformalHelpEventHeld') {
      const held: Held = {
        occurredOn: String((data.fields as { occurredOn: string }).occurredOn),
        ...(typeof data.reportedIn === 'string' ? { reportedIn: data.reportedIn } : {}),
      };
      const own = periodOf(held.occurredOn);
      if (locked.has(own) && (held.reportedIn === undefined || locked.has(held.reportedIn)))
        problems.push(`record ${e.streamId} at ${e.position} reported into locked ${held.reportedIn ?? own}`);
      if (!locked.has(own) && held.reportedIn !== undefined)
        problems.push(`record ${e.streamId} at ${e.position} late though ${own} was open`);
      records.set(e.streamId, held);
    } else if ((e.type === 'ActivityCorrected' && data.restatement === false) || e.type === 'ActivityVoided') {
      const held = records.get(e.streamId);
      if (held && reportLocked(held)) problems.push(`${e.type} of ${e.streamId} at ${e.position} into a locked report`);
    }
  }
  return problems;
}
