import type { DatingContext } from '../activity/activity-validation';
import type { PeriodId } from '../period/reporting-period';
import type { IsoDate } from '../shared/iso-date';
import type { Cents } from '../shared/money';
import type { Partner, ProjectDefinition } from './project-definition';
import type { ProjectEvent } from './project.events';

export interface RegisteredProject {
  readonly status: 'registered';
  readonly definition: ProjectDefinition;
  readonly partners: ReadonlyMap<string, Partner>;
  /** Key `${partnerId}|${categoryId}`. */
  readonly allocations: ReadonlyMap<string, Cents>;
  readonly lockedPeriods: ReadonlySet<PeriodId>;
}

export type ProjectState = { readonly status: 'unregistered' } | RegisteredProject;

export const initialProjectState: ProjectState = { status: 'unregistered' };

export type ProjectCommand =
  | { readonly type: 'RegisterProject'; readonly definition: ProjectDefinition }
  | { readonly type: 'RegisterPartner'; readonly partner: Partner }
  | {
      readonly type: 'SetAllocation';
      readonly partnerId: string;
      readonly categoryId: string;
      readonly amountCents: Cents;
    }
  | { readonly type: 'LockPeriod'; readonly periodId: string; readonly note?: string }
  | { readonly type: 'ReopenPeriod'; readonly periodId: string; readonly reason: string };

export const allocationKey = (partnerId: string, categoryId: string): string => `${partnerId}|${categoryId}`;

export function evolveProject(state: ProjectState, event: ProjectEvent): ProjectState {
  if (event.type === 'ProjectRegistered') {
    const d = event.data.definition;
    return {
      status: 'registered',
      definition: d,
      partners: new Map(d.partners.map((p) => [p.id, p])),
      allocations: new Map(),
      lockedPeriods: new Set(),
    };
  }
  if (state.status !== 'registered') return state;
  switch (event.type) {
    case 'PartnerRegistered':
      return { ...state, partners: new Map(state.partners).set(event.data.partner.id, event.data.partner) };
    case 'AllocationSet':
      return {
        ...state,
        allocations: new Map(state.allocations).set(
          allocationKey(event.data.partnerId, event.data.categoryId),
          event.data.amountCents,
        ),
      };
    case 'PeriodLocked':
      return { ...state, lockedPeriods: new Set(state.lockedPeriods).add(event.data.periodId) };
    case 'PeriodReopened': {
      const locked = new Set(state.lockedPeriods);
      locked.delete(event.data.periodId);
      return { ...state, lockedPeriods: locked };
    }
  }
}

export function foldProject(events: readonly ProjectEvent[]): ProjectState {
  return events.reduce(evolveProject, initialProjectState);
}

export function totalAllocated(state: RegisteredProject): Cents {
  let sum = 0;
  for (const v of state.allocations.values()) sum += v;
  return sum;
}

/** The context in which a partner's dated record is judged (invariant 1). */
export function datingContext(state: RegisteredProject, partnerId: string, today: IsoDate): DatingContext {
  return {
    projectStart: state.definition.period.start,
    projectEnd: state.definition.period.end,
    partnerJoinedOn: state.partners.get(partnerId)?.joinedOn ?? null,
    reportingPeriod: state.definition.reportingPeriod,
    lockedPeriods: state.lockedPeriods,
    today,
    envelopeCents: state.definition.envelopeCents,
  };
}

/** The command of one type, as its decide function receives it. */
export type ProjectCommandOf<T extends ProjectCommand['type']> = Extract<ProjectCommand, { readonly type: T }>;
