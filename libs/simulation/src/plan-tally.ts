import type { PlannedFigures, SimStep, StepGroup } from './simulation-plan';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Collects the step groups in order and counts what they amount to. A group due after the last
 * simulated day is held on that day instead (nothing is recorded in the future).
 */
export class PlanTally {
  readonly groups: StepGroup[] = [];
  private readonly f: Mutable<Omit<PlannedFigures, 'personsByGroup' | 'recordsByKind' | 'partnersBehind'>> = {
    partners: 0,
    personsReached: 0,
    records: 0,
    corrections: 0,
    voids: 0,
    verified: 0,
    rejected: 0,
    expenditures: 0,
    expenditureCorrections: 0,
    expenditureVoids: 0,
    allocatedCents: 0,
    declaredCents: 0,
    eligibleCents: 0,
    ineligibleCents: 0,
    lockedPeriods: 0,
    // The project's registration, which every simulation sends first.
    commands: 1,
  };
  private readonly byGroup: Record<string, number> = {};
  private readonly byKind: Record<string, number> = {};
  private readonly behind: string[] = [];
  private readonly lastInstant: string;

  constructor(readonly until: string) {
    this.lastInstant = `${until}T16:00:00Z`;
  }

  /** Whether an instant lies within the simulation (for steps that wait for their day, like a lock). */
  reaches(at: string): boolean {
    return at <= this.lastInstant;
  }

  partnerBehind(id: string): void {
    this.behind.push(id);
  }

  add(at: string, concurrent: boolean, steps: readonly SimStep[]): void {
    if (steps.length === 0) return;
    this.groups.push({ at: at < this.lastInstant ? at : this.lastInstant, concurrent, steps });
    for (const s of steps) this.count(s);
  }

  private count(s: SimStep): void {
    const f = this.f;
    f.commands++;
    switch (s.kind) {
      case 'register-partner':
        return void f.partners++;
      case 'allocate':
        return void (f.allocatedCents += s.cents);
      case 'record-batch':
        for (const item of s.items) {
          f.records++;
          this.byKind[item.input.kind] = (this.byKind[item.input.kind] ?? 0) + 1;
          if (item.input.kind === 'service-delivered' && item.input.recipient.profile) {
            f.personsReached++;
            this.byGroup[item.input.targetGroup] = (this.byGroup[item.input.targetGroup] ?? 0) + 1;
          }
        }
        return;
      case 'correct-activity':
        return void f.corrections++;
      case 'void-activity':
        return void f.voids++;
      case 'verify-activity':
        return void f.verified++;
      case 'reject-activity':
        return void f.rejected++;
      case 'lock-period':
        return void f.lockedPeriods++;
      default:
        return this.countExpenditure(s);
    }
  }

  private countExpenditure(s: SimStep): void {
    const f = this.f;
    if (s.kind === 'declare-expenditure') {
      f.expenditures++;
      f.declaredCents += s.expenditure.fields.amountCents;
    } else if (s.kind === 'correct-expenditure') {
      f.expenditureCorrections++;
      f.declaredCents += s.amountCents - s.expenditure.fields.amountCents;
    } else if (s.kind === 'void-expenditure') {
      f.expenditureVoids++;
      f.declaredCents -= s.expenditure.fields.amountCents;
    } else if (s.kind === 'verify-expenditure') {
      f.eligibleCents += s.eligibleCents;
      f.ineligibleCents += s.ineligibleCents;
    }
  }

  figures(partnersFromDefinition: number): PlannedFigures {
    return {
      ...this.f,
      partners: this.f.partners + partnersFromDefinition,
      partnersBehind: [...this.behind],
      personsByGroup: { ...this.byGroup },
      recordsByKind: { ...this.byKind },
    };
  }
}
