import type { LoggerService } from '@nestjs/common';
import { redactPersonalCodes } from '@ihl/privacy';
import type { LedgerLog } from './ledger-log';

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal';

/**
 * Nest's logger calls, written as JSON lines by pino. Nest passes the context (the `new Logger(…)`
 * name) as the last string argument, and for errors a stack before it.
 */
export class NestLogAdapter implements LoggerService {
  constructor(private readonly out: LedgerLog) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const context = typeof rest.at(-1) === 'string' ? String(rest.pop()) : undefined;
    const stack = level === 'error' && typeof rest[0] === 'string' ? String(rest.shift()) : undefined;
    const fields = { ...(context ? { context } : {}), ...(stack ? { stack: redactPersonalCodes(stack) } : {}) };
    if (message instanceof Error) this.out[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'string') this.out[level](fields, message);
    else this.out[level]({ ...fields, detail: message }, '');
  }
}
