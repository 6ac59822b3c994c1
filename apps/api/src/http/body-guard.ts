import type { NextFunction, Request, Response } from 'express';
import type { ProblemBody } from './problem.filter';

export const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks a parsed body before any library walks it: deep nesting would overflow the validators'
 * recursion (a 500), and prototype keys would be dropped silently instead of refused.
 */
export function inspectJsonBody(body: unknown): ProblemBody | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      const message = `is nested deeper than ${MAX_JSON_DEPTH} levels`;
      return {
        statusCode: 400,
        error: 'Bad Request',
        message: `(body): ${message}`,
        issues: [{ field: '(body)', rule: 'max-depth', message }],
      };
    }
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) {
        const message = `unknown field "${key}"`;
        return {
          statusCode: 400,
          error: 'Bad Request',
          message: `${field}: ${message}`,
          issues: [{ field, rule: 'unknown-field', message }],
        };
      }
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: field });
    }
  }
  return null;
}

/** A write with a body must say it is JSON; anything else is refused before it can run a command. */
export function requireJsonContentType(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const isWrite = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  if (isWrite && hasBody && !req.is(['application/json', 'application/*+json'])) {
    const message = 'must be application/json';
    res.status(415).json({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: `Content-Type: ${message}`,
      issues: [{ field: 'Content-Type', rule: 'json', message, value: req.headers['content-type'] ?? null }],
    } satisfies ProblemBody);
    return;
  }
  next();
}
