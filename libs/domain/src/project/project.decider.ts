import type { DatingContext } from '../activity/activity-validation';
import { isPeriodId, periodBounds, type PeriodId } from '../period/reporting-period';
import { isIsoDate, type IsoDate } from '../shared/iso-date';
import { formatMoney, isCents, type Cents } from '../shared/money';
import { canonicalJson } from '../shared/canonical-json';
import { DomainConflictError, DomainNotFoundError, DomainValidationError, requireReason } from '../shared/validation';
import { SLUG, type Partner, type ProjectDefinition } from './project-definition';
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

const invalid = (field: string, rule: string, message: string, value?: unknown): never => {
  throw new DomainValidationError([{ field, rule, message, ...(value === undefined ? {} : { value }) }]);
};

export function decideProject(state: ProjectState, command: ProjectCommand): ProjectEvent[] {
  if (command.type === 'RegisterProject') {
    if (state.status === 'registered') {
      // Registering the same definition twice is answered as the first time.
      if (canonicalJson(state.definition) === canonicalJson(command.definition)) return [];
      throw new DomainConflictError(
        'project-already-registered',
        `project ${command.definition.code} is already registered with a different definition`,
      );
    }
    return [{ type: 'ProjectRegistered', data: { definition: command.definition } }];
  }
  if (state.status !== 'registered') throw new DomainNotFoundError('the project is not registered');
  const { start, end } = state.definition.period;

  switch (command.type) {
    case 'RegisterPartner': {
      const p = command.partner;
      const existing = state.partners.get(p.id);
      if (existing) {
        if (canonicalJson(existing) === canonicalJson(p)) return [];
        throw new DomainConflictError('partner-exists', `partner ${p.id} is already registered with other details`);
      }
      if (typeof p.id !== 'string' || !SLUG.test(p.id))
        invalid('id', 'slug', 'must be lower-case letters, digits and dashes', p.id);
      for (const field of ['name', 'municipality'] as const) {
        const v: unknown = p[field];
        if (typeof v !== 'string' || v.trim() === '' || v.length > 300) {
          invalid(field, 'non-empty-string', 'must be a non-empty string of at most 300 characters', v);
        }
      }
      if (!isIsoDate(p.joinedOn) || p.joinedOn < start || p.joinedOn > end) {
        invalid(
          'joinedOn',
          'within-project-period',
          `must be a date within the project period ${start}..${end}`,
          p.joinedOn,
        );
      }
      return [{ type: 'PartnerRegistered', data: { partner: p } }];
    }
    case 'SetAllocation': {
      if (!state.partners.has(command.partnerId))
        invalid('partnerId', 'registered-partner', 'no such partner in this project', command.partnerId);
      if (!state.definition.budgetCategories.some((c) => c.id === command.categoryId)) {
        invalid(
          'categoryId',
          'budget-category',
          `must be one of ${state.definition.budgetCategories.map((c) => c.id).join(', ')}`,
          command.categoryId,
        );
      }
      if (!isCents(command.amountCents))
        invalid('amount', 'money', 'must be a non-negative amount', command.amountCents);
      const key = allocationKey(command.partnerId, command.categoryId);
      const previous = state.allocations.get(key) ?? 0;
      if (previous === command.amountCents && state.allocations.has(key)) return [];
      const after = totalAllocated(state) - previous + command.amountCents;
      if (after > state.definition.envelopeCents) {
        invalid(
          'amount',
          'within-envelope',
          `would allocate ${formatMoney(after)} in total, over the envelope of ${formatMoney(state.definition.envelopeCents)} by ${formatMoney(after - state.definition.envelopeCents)}`,
          formatMoney(command.amountCents),
        );
      }
      return [
        {
          type: 'AllocationSet',
          data: {
            partnerId: command.partnerId,
            categoryId: command.categoryId,
            amountCents: command.amountCents,
            previousCents: previous,
          },
        },
      ];
    }
    case 'LockPeriod':
    case 'ReopenPeriod': {
      const kind = state.definition.reportingPeriod;
      if (!isPeriodId(command.periodId, kind)) {
        invalid(
          'periodId',
          'period-id',
          kind === 'monthly' ? 'must look like 2023-01' : 'must look like 2023-Q1',
          command.periodId,
        );
      }
      const b = periodBounds(command.periodId);
      if (b.end < start || b.start > end)
        invalid(
          'periodId',
          'within-project-period',
          `must overlap the project period ${start}..${end}`,
          command.periodId,
        );
      const locked = state.lockedPeriods.has(command.periodId);
      if (command.type === 'LockPeriod')
        return locked
          ? []
          : [
              {
                type: 'PeriodLocked',
                data: { periodId: command.periodId, ...(command.note ? { note: command.note } : {}) },
              },
            ];
      if (!locked) throw new DomainConflictError('not-locked', `period ${command.periodId} is not locked`);
      requireReason(command.reason);
      return [{ type: 'PeriodReopened', data: { periodId: command.periodId, reason: command.reason } }];
    }
  }
}
