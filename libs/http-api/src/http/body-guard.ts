import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** The routes that take a file, a multipart upload read by their handler: imports and evidence. */
const UPLOAD_ROUTE = /^\/api\/v1\/projects\/[^/]+\/(imports|evidence\/[^/]+\/[^/]+)\/?$/;

/** A write with a body must say it is JSON; anything else is refused before it can run a command. */
export function requireJsonContentType(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const isWrite = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  const upload = req.method === 'POST' && UPLOAD_ROUTE.test(req.path) && req.is('multipart/form-data');
  if (isWrite && hasBody && !upload && !req.is(['application/json', 'application/*+json'])) {
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

/** body-parser error types raised by {@link verifyUtf8}. */
const NOT_UTF8 = 'entity.utf8.invalid';
const CHARSET_NOT_UTF8 = 'charset.not.utf8';

/**
 * express.json's `verify`: sees the raw bytes before they are decoded. The decoder would turn bytes
 * that are not UTF-8 (FF FE, C3 28, overlong C0 AF, ...) into U+FFFD, and the ledger would store
 * and answer text the client never sent; so such a body is refused instead. JSON between systems is
 * UTF-8 (RFC 8259 §8.1): another declared charset is refused too.
 */
export function verifyUtf8(_req: IncomingMessage, _res: ServerResponse, buf: Buffer, encoding: string | null): void {
  if (encoding !== null && !/^utf-?8$/i.test(encoding))
    throw Object.assign(new Error('charset is not UTF-8'), { status: 415, type: CHARSET_NOT_UTF8 });
  if (!isUtf8(buf)) throw Object.assign(new Error('body is not valid UTF-8'), { status: 400, type: NOT_UTF8 });
}

/** The answer to a body {@link verifyUtf8} refused; null for any other body-parser error. */
export function utf8Problem(err: unknown): ProblemBody | null {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === NOT_UTF8) {
    const message = 'the body is not valid UTF-8 (its bytes would be changed, not stored as sent)';
    return { statusCode: 400, error: 'Bad Request', message, issues: [{ field: '(body)', rule: 'utf-8', message }] };
  }
  if (type === CHARSET_NOT_UTF8) {
    const message = 'must be UTF-8: JSON bodies are UTF-8 (RFC 8259), declare charset=utf-8 or none';
    return {
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: `Content-Type: ${message}`,
      issues: [{ field: 'Content-Type', rule: 'utf-8', message }],
    };
  }
  return null;
}
