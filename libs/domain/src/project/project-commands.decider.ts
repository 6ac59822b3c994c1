import { isPeriodId, periodBounds } from '../period/reporting-period';
import { canonicalJson } from '../shared/canonical-json';
import { isIsoDate } from '../shared/iso-date';
import { formatMoney, isCents } from '../shared/money';
import { optionalNote } from '../shared/record-guards';
import { DomainConflictError, DomainNotFoundError, DomainValidationError, requireReason } from '../shared/validation';
import { SLUG, type Partner } from './project-definition';
import type { ProjectEvent } from './project.events';
import {
  allocationKey,
  totalAllocated,
  type ProjectCommandOf,
  type ProjectState,
  type RegisteredProject,
} from './project.state';

// One function per project command. Each refuses at the first broken rule (unlike the definition,
// which lists every issue), so the checks below throw as they go.

const invalid = (field: string, rule: string, message: string, value?: unknown): never => {
  throw new DomainValidationError([{ field, rule, message, ...(value === undefined ? {} : { value }) }]);
};

function requireRegistered(state: ProjectState): RegisteredProject {
  if (state.status !== 'registered') throw new DomainNotFoundError('the project is not registered');
  return state;
}

export function decideRegisterProject(
  state: ProjectState,
  command: ProjectCommandOf<'RegisterProject'>,
): ProjectEvent[] {
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

function validatePartner(p: Partner, project: RegisteredProject): void {
  const { start, end } = project.definition.period;
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
}

export function decideRegisterPartner(
  state: ProjectState,
  command: ProjectCommandOf<'RegisterPartner'>,
): ProjectEvent[] {
  const project = requireRegistered(state);
  const p = command.partner;
  const existing = project.partners.get(p.id);
  if (existing) {
    if (canonicalJson(existing) === canonicalJson(p)) return [];
    throw new DomainConflictError('partner-exists', `partner ${p.id} is already registered with other details`);
  }
  validatePartner(p, project);
  return [{ type: 'PartnerRegistered', data: { partner: p } }];
}

function validateAllocation(project: RegisteredProject, command: ProjectCommandOf<'SetAllocation'>): void {
  if (!project.partners.has(command.partnerId))
    invalid('partnerId', 'registered-partner', 'no such partner in this project', command.partnerId);
  const categories = project.definition.budgetCategories;
  if (!categories.some((c) => c.id === command.categoryId)) {
    invalid(
      'categoryId',
      'budget-category',
      `must be one of ${categories.map((c) => c.id).join(', ')}`,
      command.categoryId,
    );
  }
  if (!isCents(command.amountCents)) invalid('amount', 'money', 'must be a non-negative amount', command.amountCents);
}

export function decideSetAllocation(state: ProjectState, command: ProjectCommandOf<'SetAllocation'>): ProjectEvent[] {
  const project = requireRegistered(state);
  validateAllocation(project, command);
  const key = allocationKey(command.partnerId, command.categoryId);
  const previous = project.allocations.get(key) ?? 0;
  if (previous === command.amountCents && project.allocations.has(key)) return [];
  const after = totalAllocated(project) - previous + command.amountCents;
  const envelope = project.definition.envelopeCents;
  if (after > envelope) {
    invalid(
      'amount',
      'within-envelope',
      `would allocate ${formatMoney(after)} in total, over the envelope of ${formatMoney(envelope)} by ${formatMoney(after - envelope)}`,
      formatMoney(command.amountCents),
    );
  }
  const { partnerId, categoryId, amountCents } = command;
  return [{ type: 'AllocationSet', data: { partnerId, categoryId, amountCents, previousCents: previous } }];
}

/** A period id of the project's reporting kind that overlaps the project period. */
function assertPeriodOfProject(project: RegisteredProject, periodId: string): void {
  const kind = project.definition.reportingPeriod;
  const { start, end } = project.definition.period;
  if (!isPeriodId(periodId, kind)) {
    invalid(
      'periodId',
      'period-id',
      kind === 'monthly' ? 'must look like 2023-01' : 'must look like 2023-Q1',
      periodId,
    );
  }
  const b = periodBounds(periodId);
  if (b.end < start || b.start > end)
    invalid('periodId', 'within-project-period', `must overlap the project period ${start}..${end}`, periodId);
}

export function decideLockPeriod(state: ProjectState, command: ProjectCommandOf<'LockPeriod'>): ProjectEvent[] {
  const project = requireRegistered(state);
  assertPeriodOfProject(project, command.periodId);
  if (project.lockedPeriods.has(command.periodId)) return [];
  return [{ type: 'PeriodLocked', data: { periodId: command.periodId, ...optionalNote(command.note) } }];
}

export function decideReopenPeriod(state: ProjectState, command: ProjectCommandOf<'ReopenPeriod'>): ProjectEvent[] {
  const project = requireRegistered(state);
  assertPeriodOfProject(project, command.periodId);
  if (!project.lockedPeriods.has(command.periodId))
    throw new DomainConflictError('not-locked', `period ${command.periodId} is not locked`);
  requireReason(command.reason);
  return [{ type: 'PeriodReopened', data: { periodId: command.periodId, reason: command.reason } }];
}
