import {
  BadRequestException,
  UnprocessableEntityException,
  ValidationPipe,
  type HttpException,
  type ValidationError,
} from '@nestjs/common';
import type { ValidationIssue } from '@ihl/domain';
import { NO_PERSONAL_CODE } from './dto-rules';
import { redactIssue } from './personal-data-redaction';

export function flatten(errors: readonly ValidationError[], parent = ''): ValidationIssue[] {
  return errors.flatMap((e) => {
    const field = parent
      ? /^\d+$/.test(e.property)
        ? `${parent}[${e.property}]`
        : `${parent}.${e.property}`
      : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) =>
      redactIssue({
        field,
        rule: rule === 'whitelistValidation' ? 'unknown-field' : rule,
        message,
        ...(e.value !== undefined && typeof e.value !== 'object' ? { value: e.value } : {}),
      }),
    );
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * 400 for a body of the wrong shape; 422 as soon as a free text holds a personal code, even next to
 * shape errors: that refusal is about what the text says, and the client must show it to the
 * person who typed it rather than treat it as a programming error.
 */
export function validationException(issues: readonly ValidationIssue[]): HttpException {
  const body = { message: issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues };
  return issues.some((i) => i.rule === NO_PERSONAL_CODE)
    ? new UnprocessableEntityException(body)
    : new BadRequestException(body);
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
    exceptionFactory: (errors) => validationException(flatten(errors)),
  });
}
