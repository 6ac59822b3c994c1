import { createParamDecorator, type ExecutionContext, type Type } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import type { Request } from 'express';
import type { ValidationIssue } from '@ihl/domain';
import { redactIssue } from './personal-data-redaction';
import { flatten, validationException } from './validation.pipe';

export const UNKNOWN_PARAMETER = 'unknown-parameter';
export const REPEATED_PARAMETER = 'repeated-parameter';

const names = new WeakMap<Type<object>, readonly string[]>();

/** The parameters a query DTO declares: every one carries a rule (IsOptional at least), inherited ones too. */
export function parameterNames(dto: Type<object>): readonly string[] {
  let known = names.get(dto);
  if (!known) {
    const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
    known = [...new Set(rules.map((r) => r.propertyName))].sort();
    names.set(dto, known);
  }
  return known;
}

/**
 * The query string checked like a body: a parameter the endpoint does not declare is refused, never
 * ignored (a filter silently dropped answers project-wide figures to someone who asked for less);
 * a repeated one (Express makes it an array) is refused, since the answer could only pick one.
 * Values that break a rule are named with the rule; a value shaped like a personal code is never echoed.
 */
export function parseQuery<T extends object>(dto: Type<T>, query: unknown): T {
  const known = parameterNames(dto);
  const issues: ValidationIssue[] = [];
  const given: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (!known.includes(name)) {
      issues.push(
        redactIssue({
          field: name,
          rule: UNKNOWN_PARAMETER,
          message: known.length
            ? `is not a parameter of this endpoint (it takes ${known.join(', ')})`
            : 'is not a parameter of this endpoint (it takes none)',
        }),
      );
    } else if (typeof value !== 'string') {
      repeated.add(name);
      issues.push({ field: name, rule: REPEATED_PARAMETER, message: 'must be given at most once' });
    } else given[name] = value;
  }
  const instance = plainToInstance(dto, given);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    // A DTO without parameters has no rules at all; unknown names are refused above.
    forbidUnknownValues: false,
    validationError: { target: false, value: true },
  });
  // A repeated parameter is left out of the instance: it is named once, as repeated, not also as missing.
  issues.push(...flatten(errors.filter((e) => !repeated.has(e.property))));
  if (issues.length > 0) throw validationException(issues);
  return instance;
}

const fromRequest = createParamDecorator((dto: Type<object>, ctx: ExecutionContext) =>
  parseQuery(dto, ctx.switchToHttp().getRequest<Request>().query),
);

/**
 * `@ValidQuery(SomeQueryDto) q: SomeQueryDto`: the handler's query string, validated by the DTO
 * (every GET handler takes one, `NoQueryDto` when it has no parameters) and documented in OpenAPI.
 */
export function ValidQuery<T extends object>(dto: Type<T>): ParameterDecorator {
  return (target, key, index) => {
    fromRequest(dto)(target, key, index);
    if (key === undefined) return;
    const method = Object.getOwnPropertyDescriptor(target, key);
    if (method && parameterNames(dto).length > 0) ApiQuery({ type: dto, required: false })(target, key, method);
  };
}
