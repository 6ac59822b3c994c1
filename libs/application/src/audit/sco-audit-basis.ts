import { DomainValidationError, SCO_VOLUMES, type RegisteredProject } from '@ihl/domain';
import type { ScoAuditBasis } from './figure-sources.port';

/**
 * The records an option of the project's definition counts, as `simplifiedCostsOf` computes its
 * amount: a unit cost's verified activities of its kind, narrowed by service and setting; a flat
 * rate's verified expenditures of its base categories. An option the project does not define is refused.
 */
export function scoAuditBasisOf(project: RegisteredProject, optionId: string | undefined): ScoAuditBasis {
  const sco = project.definition.simplifiedCosts;
  const unit = sco?.unitCosts.find((u) => u.id === optionId);
  if (unit)
    return { type: 'unit-cost', kind: SCO_VOLUMES[unit.volume].kind, service: unit.service, setting: unit.setting };
  const flat = sco?.flatRates.find((f) => f.id === optionId);
  if (flat) return { type: 'flat-rate', categories: flat.baseCategories };
  throw new DomainValidationError([
    {
      field: 'optionId',
      rule: 'known-option',
      message: 'must be the id of one of the simplified cost options of the project',
      value: optionId,
    },
  ]);
}
