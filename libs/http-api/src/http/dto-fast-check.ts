import { ValidationTypes, getMetadataStorage, type MetadataStorage, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** The metadata kinds the check follows; a class carrying any other one is always left to class-validator. */
const FOLLOWED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
]);

/** A class's rules by property, or null when it uses something the check does not follow. */
type Plan = ReadonlyMap<string, readonly ValidationMetadata[]> | null;
const plans = new Map<unknown, Plan>();

/**
 * Whether class-validator would find no error in `dto` (a class-transformer instance), validated with
 * whitelist, forbidNonWhitelisted, forbidUnknownValues and no groups. It runs the very constraint
 * instances class-validator runs, in its order, with its arguments, only without building error
 * objects or scanning the metadata storage per call; where it is not sure (a promise, an array, a
 * rule option it does not follow) it answers false. So: true means valid; false means "ask
 * class-validator", which then names the issues as it always has.
 */
export function certainlyValid(dto: object): boolean {
  const plan = planOf(dto.constructor);
  if (plan === null || plan.size === 0) return false;
  const values = dto as Record<string, unknown>;
  for (const key of Object.keys(values)) if (!plan.has(key)) return false;
  for (const [property, rules] of plan) {
    const value = values[property];
    if (value instanceof Promise) return false;
    if (!conditionsHold(rules, dto, value)) continue;
    for (const rule of rules) if (!ruleHolds(rule, dto, property, value)) return false;
  }
  return true;
}

function conditionsHold(rules: readonly ValidationMetadata[], dto: object, value: unknown): boolean {
  for (const r of rules) {
    if (r.type !== ValidationTypes.CONDITIONAL_VALIDATION) continue;
    const condition = r.constraints[0] as (o: object, v: unknown) => boolean;
    if (!condition(dto, value)) return false;
  }
  return true;
}

function ruleHolds(rule: ValidationMetadata, dto: object, property: string, value: unknown): boolean {
  if (rule.type === ValidationTypes.NESTED_VALIDATION) {
    if (value === undefined) return true;
    if (Array.isArray(value) || value instanceof Set || value instanceof Map || !(value instanceof Object))
      return false;
    return certainlyValid(value);
  }
  if (rule.type !== ValidationTypes.CUSTOM_VALIDATION && rule.type !== ValidationTypes.IS_DEFINED) return true;
  if (rule.validateIf && !rule.validateIf(dto, value)) return true;
  const args: ValidationArguments = {
    targetName: dto.constructor.name,
    property,
    object: dto,
    value,
    constraints: rule.constraints,
  };
  for (const c of getMetadataStorage().getTargetValidatorConstraints(rule.constraintCls)) {
    if (c.async) return false;
    const verdict: unknown = c.instance.validate(value, args);
    if (verdict !== true && verdict !== false) return false;
    if (!verdict) return false;
  }
  return true;
}

function planOf(target: unknown): Plan {
  const known = plans.get(target);
  if (known !== undefined) return known;
  const plan = typeof target === 'function' ? build(target) : null;
  plans.set(target, plan);
  return plan;
}

function build(target: Parameters<MetadataStorage['getTargetValidationMetadatas']>[0]): Plan {
  const rules = getMetadataStorage().getTargetValidationMetadatas(target, '', false, false, undefined);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const r of rules) {
    // Groups, `always`, `each` and unknown kinds change what runs: class-validator decides those.
    if (!FOLLOWED.has(r.type) || r.groups?.length || r.always !== undefined || r.each) return null;
    if (r.context !== undefined) return null;
    const list = byProperty.get(r.propertyName) ?? [];
    list.push(r);
    byProperty.set(r.propertyName, list);
  }
  return byProperty;
}
