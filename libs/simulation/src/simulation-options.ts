import { DomainValidationError, type ProjectDefinition } from '@ihl/domain';
import { FIRST_DAY } from './plan-partners';
import type { SimulationOptions } from './simulation-plan';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Refuses options the simulation cannot honour, naming the option and the rule. */
export function checkSimulationOptions(definition: ProjectDefinition, o: SimulationOptions): void {
  const issues: { field: string; rule: string; message: string }[] = [];
  if (!Number.isFinite(o.scale) || o.scale <= 0 || o.scale > 4)
    issues.push({ field: 'scale', rule: 'range', message: 'must be a number above 0 and at most 4' });
  if (!Number.isSafeInteger(o.seed) || o.seed < 0)
    issues.push({ field: 'seed', rule: 'integer', message: 'must be a whole number, 0 or more' });
  if (!ISO_DAY.test(o.until) || Number.isNaN(Date.parse(o.until)))
    issues.push({ field: 'until', rule: 'date', message: 'must be a date YYYY-MM-DD' });
  else if (o.until < FIRST_DAY || o.until > definition.period.end)
    issues.push({
      field: 'until',
      rule: 'within-project',
      message: `must lie between ${FIRST_DAY} and the project's end ${definition.period.end}`,
    });
  if (issues.length > 0) throw new DomainValidationError(issues);
}
