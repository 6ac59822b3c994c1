import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ValidationIssue } from '@ihl/domain';

export function flatten(errors: readonly ValidationError[], parent = ''): ValidationIssue[] {
  return errors.flatMap((e) => {
    const field = parent
      ? /^\d+$/.test(e.property)
        ? `${parent}[${e.property}]`
        : `${parent}.${e.property}`
      : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknown-field' : rule,
      message,
      ...(e.value !== undefined && typeof e.value !== 'object' ? { value: e.value } : {}),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** whitelist + forbidNonWhitelisted: unknown fields are refused, never silently dropped. */
export function ledgerValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const issues = flatten(errors);
      return new BadRequestException({ message: issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues });
    },
  });
}
