// A small sequential model of the ledger's write rules, written apart from the domain code so that
// a concurrency test can replay the store's log through it and compare. Plain TypeScript: quarterly
// periods, allocations against the envelope, promotion-event records (record, correct, verify, void,
// late entries and restatements), period locks and Idempotency-Keys. Amounts are in cents.

export const ENVELOPE_CENTS = 4_394_021_200;
const PROJECT_END_QUARTER = '2026-Q4';

export type PartnerId = 'visaginas-spc' | 'utena-spc';

export interface RecordValues {
  readonly occurredOn: string;
  readonly title: string;
  readonly attendees: number;
}

/** What a client sends. `invalid`: the input itself breaks a rule (refused whatever the state). */
export type ModelCommand =
  | { readonly kind: 'allocate'; readonly partner: PartnerId; readonly category: string; readonly cents: number }
  | {
      readonly kind: 'record';
      readonly partner: PartnerId;
      readonly activityId?: string;
      readonly key?: string;
      readonly values: RecordValues;
    }
  | {
      readonly kind: 'correct';
      readonly partner: PartnerId;
      readonly activityId: string;
      readonly values: RecordValues;
      readonly ifMatch?: number;
    }
  | { readonly kind: 'verify'; readonly activityId: string }
  | { readonly kind: 'void'; readonly partner: PartnerId; readonly activityId: string }
  | { readonly kind: 'lock' | 'reopen'; readonly period: string }
  | { readonly kind: 'invalid'; readonly what: string };

/** The model's answer: a status and, when it writes, the event types (and a new record's reported period). */
export interface ModelOutcome {
  readonly status: number;
  readonly events?: readonly string[];
  readonly reportedIn?: string;
}

export interface ModelRecord {
  readonly partner: PartnerId;
  values: RecordValues;
  status: 'recorded' | 'voided';
  review: 'pending' | 'verified';
  pending: RecordValues | null;
  reportedIn?: string;
  /** The record stream's revision (0 after the record). */
  revision: number;
}

export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

function nextQuarter(q: string): string {
  const year = Number(q.slice(0, 4));
  const n = Number(q.slice(6));
  return n === 4 ? `${year + 1}-Q1` : `${year}-Q${n + 1}`;
}

const sameValues = (a: RecordValues, b: RecordValues): boolean =>
  a.occurredOn === b.occurredOn && a.title === b.title && a.attendees === b.attendees;

export class LedgerModel {
  readonly allocations = new Map<string, number>();
  readonly locked = new Set<string>();
  readonly records = new Map<string, ModelRecord>();
  /** Idempotency-Key → the record it made. */
  readonly keys = new Map<string, string>();

  totalAllocated(): number {
    let sum = 0;
    for (const v of this.allocations.values()) sum += v;
    return sum;
  }

  /** What the ledger must answer to `c` in this state; nothing changes. */
  decide(c: ModelCommand): ModelOutcome {
    switch (c.kind) {
      case 'invalid':
        return { status: 400 };
      case 'allocate':
        return this.decideAllocation(c);
      case 'record':
        return this.decideRecord(c);
      case 'lock':
        return this.locked.has(c.period) ? { status: 200 } : { status: 201, events: ['PeriodLocked'] };
      case 'reopen':
        return this.locked.has(c.period) ? { status: 201, events: ['PeriodReopened'] } : { status: 409 };
      default:
        return this.decideOnRecord(c);
    }
  }

  /** Applies an accepted command (`decide` said 201); `activityId`: the record the log says it made. */
  apply(c: ModelCommand, outcome: ModelOutcome, activityId?: string): void {
    if (c.kind === 'allocate') this.allocations.set(`${c.partner}/${c.category}`, c.cents);
    else if (c.kind === 'lock') this.locked.add(c.period);
    else if (c.kind === 'reopen') this.locked.delete(c.period);
    else if (c.kind === 'record') {
      const id = c.activityId ?? activityId!;
      if (c.key) this.keys.set(c.key, id);
      this.records.set(id, {
        partner: c.partner,
        values: c.values,
        status: 'recorded',
        review: 'pending',
        pending: null,
        ...(outcome.reportedIn ? { reportedIn: outcome.reportedIn } : {}),
        revision: 0,
      });
    } else if (c.kind === 'correct' || c.kind === 'verify' || c.kind === 'void') {
      const r = this.records.get(c.activityId)!;
      r.revision += 1;
      if (c.kind === 'verify') r.review = 'verified';
      else if (c.kind === 'void') Object.assign(r, { status: 'voided', pending: null });
      else if (outcome.events?.[0] === 'ActivityRestatementProposed') r.pending = c.values;
      else Object.assign(r, { values: c.values, review: 'pending', pending: null });
    }
  }

  /** Whether a change to the record touches a locked report (its date unchanged, as the test sends). */
  touchesLockedReport(r: ModelRecord): boolean {
    return this.locked.has(r.reportedIn ?? quarterOf(r.values.occurredOn));
  }

  private decideAllocation(c: Extract<ModelCommand, { kind: 'allocate' }>): ModelOutcome {
    const key = `${c.partner}/${c.category}`;
    const previous = this.allocations.get(key);
    if (previous === c.cents) return { status: 200 };
    const after = this.totalAllocated() - (previous ?? 0) + c.cents;
    return after > ENVELOPE_CENTS ? { status: 422 } : { status: 201, events: ['AllocationSet'] };
  }

  private decideRecord(c: Extract<ModelCommand, { kind: 'record' }>): ModelOutcome {
    if (c.key && this.keys.has(c.key)) return { status: 200 };
    let period = quarterOf(c.values.occurredOn);
    if (!this.locked.has(period)) return { status: 201, events: ['InformalHelpEventHeld'] };
    while (period < PROJECT_END_QUARTER) {
      period = nextQuarter(period);
      if (!this.locked.has(period)) return { status: 201, events: ['InformalHelpEventHeld'], reportedIn: period };
    }
    return { status: 422 };
  }

  private decideOnRecord(c: Extract<ModelCommand, { kind: 'correct' | 'verify' | 'void' }>): ModelOutcome {
    const r = this.records.get(c.activityId);
    if (!r || (c.kind !== 'verify' && r.partner !== c.partner)) return { status: 404 };
    if (c.kind === 'verify') {
      if (r.status === 'voided') return { status: 409 };
      return r.review === 'verified' ? { status: 200 } : { status: 201, events: ['ActivityVerified'] };
    }
    if (c.kind === 'void') {
      if (r.status === 'voided') return { status: 200 };
      return this.touchesLockedReport(r) ? { status: 409 } : { status: 201, events: ['ActivityVoided'] };
    }
    if (c.ifMatch !== undefined && c.ifMatch !== r.revision) return { status: 412 };
    if (r.status === 'voided') return { status: 409 };
    if (sameValues(c.values, r.values)) return { status: 200 };
    if (r.pending) return sameValues(r.pending, c.values) ? { status: 200 } : { status: 409 };
    return this.touchesLockedReport(r)
      ? { status: 201, events: ['ActivityRestatementProposed'] }
      : { status: 201, events: ['ActivityCorrected'] };
  }
}
