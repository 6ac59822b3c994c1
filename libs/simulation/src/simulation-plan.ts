import type { Actor, ActivityInput, BatchItem } from '@ihl/application';
import type { ExpenditureFields, ProjectDefinition, TargetGroup } from '@ihl/domain';

export interface SimulationOptions {
  /** 1 = the reference project's size (its persons target and envelope); 0.02 = a fiftieth. */
  readonly scale: number;
  readonly seed: number;
  /** The last simulated day (YYYY-MM-DD): nothing is dated or recorded after it. */
  readonly until: string;
}

export interface PlannedPartner {
  readonly id: string;
  readonly name: string;
  readonly municipality: string;
  readonly joinedOn: string;
  /** Registered by the simulation (false: the project definition lists it already). */
  readonly register: boolean;
  /** Relative size: its share of the envelope and of the persons. */
  readonly weight: number;
  /** 1 for a partner on track; about 0.5 for one clearly behind its share. */
  readonly pace: number;
  readonly workers: number;
  readonly actor: Actor;
  readonly allocations: readonly { readonly categoryId: string; readonly cents: number }[];
}

export interface PlannedPerson {
  readonly personalCode: string;
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
  readonly group: TargetGroup;
  readonly disability: boolean;
  readonly partner: PlannedPartner;
  /** Month index (from 2023-01) of the first service, and of the last. */
  readonly firstMonth: number;
  readonly lastMonth: number;
  readonly firstDay: string;
  readonly intensity: number;
}

export interface PlannedRecord {
  readonly activityId: string;
  readonly partner: PlannedPartner;
  readonly input: ActivityInput;
  /** The service that makes its person reached: never voided nor rejected, so the count holds. */
  readonly reaches: boolean;
}

export interface PlannedExpenditure {
  readonly id: string;
  readonly partner: PlannedPartner;
  readonly fields: ExpenditureFields;
}

/** One command of the simulation, in the words of the application's commands. */
export type SimStep =
  | { readonly kind: 'register-partner'; readonly partner: PlannedPartner }
  | { readonly kind: 'allocate'; readonly partner: PlannedPartner; readonly categoryId: string; readonly cents: number }
  | { readonly kind: 'record-batch'; readonly partner: PlannedPartner; readonly items: readonly BatchItem[] }
  | { readonly kind: 'correct-activity'; readonly record: PlannedRecord; readonly input: ActivityInput }
  | { readonly kind: 'void-activity'; readonly record: PlannedRecord }
  | { readonly kind: 'verify-activity' | 'reject-activity'; readonly record: PlannedRecord }
  | { readonly kind: 'declare-expenditure'; readonly expenditure: PlannedExpenditure }
  | { readonly kind: 'correct-expenditure'; readonly expenditure: PlannedExpenditure; readonly amountCents: number }
  | { readonly kind: 'void-expenditure'; readonly expenditure: PlannedExpenditure }
  | {
      readonly kind: 'verify-expenditure';
      readonly expenditure: PlannedExpenditure;
      readonly eligibleCents: number;
      readonly ineligibleCents: number;
    }
  | { readonly kind: 'lock-period'; readonly period: string };

/** Steps sent at one simulated instant; `concurrent` ones touch distinct streams. */
export interface StepGroup {
  readonly at: string;
  readonly concurrent: boolean;
  readonly steps: readonly SimStep[];
}

/** What the plan amounts to by its last day. */
export interface PlannedFigures {
  readonly partners: number;
  readonly partnersBehind: readonly string[];
  readonly personsReached: number;
  readonly personsByGroup: Readonly<Record<string, number>>;
  readonly records: number;
  readonly recordsByKind: Readonly<Record<string, number>>;
  readonly corrections: number;
  readonly voids: number;
  readonly verified: number;
  readonly rejected: number;
  readonly expenditures: number;
  readonly expenditureCorrections: number;
  readonly expenditureVoids: number;
  readonly allocatedCents: number;
  /** Declared and not voided, after corrections. */
  readonly declaredCents: number;
  readonly eligibleCents: number;
  readonly ineligibleCents: number;
  readonly lockedPeriods: number;
  readonly commands: number;
}

export interface SimulationPlan {
  readonly options: SimulationOptions;
  readonly definition: ProjectDefinition;
  readonly groups: readonly StepGroup[];
  readonly figures: PlannedFigures;
}
