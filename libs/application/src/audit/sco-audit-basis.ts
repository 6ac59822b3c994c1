import { DomainValidationError, SCO_VOLUMES, type LumpSum, type RegisteredProject } from '@ihl/domain';
import type { ScoAuditBasis } from './figure-sources.port';

/** Where an option's events are: the records it counts (read models), or a lump sum's deliverable stream. */
export type ScoAuditSource = { readonly records: ScoAuditBasis } | { readonly lumpSum: LumpSum };

/**
 * What an option of the project's definition counts, as `simplifiedCostsOf` computes its amount: a
 * unit cost's verified activities of its kind, narrowed by service and setting; a flat rate's
 * verified expenditures of its base categories; a lump sum's deliverable. An option the project
 * does not define is refused.
 */
export function scoAuditSourceOf(project: RegisteredProject, optionId: string | undefined): ScoAuditSource {
  const sco = project.definition.simplifiedCosts;
  const unit = sco?.unitCosts.find((u) => u.id === optionId);
  if (unit)
    return {
      records: { type: 'unit-cost', kind: SCO_VOLUMES[unit.volume].kind, service: unit.service, setting: unit.setting },
    };
  const flat = sco?.flatRates.find((f) => f.id === optionId);
  if (flat) return { records: { type: 'flat-rate', categories: flat.baseCategories } };
  const lumpSum = sco?.lumpSums?.find((l) => l.id === optionId);
  if (lumpSum) return { lumpSum };
  throw new DomainValidationError([
    {
      field: 'optionId',
      rule: 'known-option',
      message: 'must be the id of one of the simplified cost options of the project',
      value: optionId,
    },
  ]);
}

/** One page of a short list of positions (a deliverable stream's), by number or after a position. */
export function pageOfPositions(
  all: readonly number[],
  at: number | { readonly after: number },
  pageSize: number,
): { total: number; positions: number[]; next: number | null } {
  const from = typeof at === 'number' ? (at - 1) * pageSize : all.filter((p) => p <= at.after).length;
  const rows = all.slice(from, from + pageSize + 1);
  const positions = rows.slice(0, pageSize);
  return { total: all.length, positions, next: rows.length > pageSize ? positions[pageSize - 1]! : null };
}
