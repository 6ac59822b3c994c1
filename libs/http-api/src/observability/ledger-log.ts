import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '@ihl/config';
import { redactPersonalCodes } from '@ihl/privacy';

export type LedgerLog = Logger;

export interface LedgerLogOptions {
  /** The process: `api`, `worker`, `cli`. */
  readonly service: string;
  readonly level?: LogLevel;
  /** Where the JSON lines go; default process.stdout (so a test can tap it). */
  readonly destination?: DestinationStream;
}

/** Whatever an error carries, with personal codes cut from its message and stack. */
function errorFields(e: unknown): Record<string, string> {
  if (!(e instanceof Error)) return { message: redactPersonalCodes(String(e)) };
  return {
    type: e.name,
    message: redactPersonalCodes(e.message),
    ...(e.stack ? { stack: redactPersonalCodes(e.stack) } : {}),
  };
}

/**
 * One JSON object per line: `time`, `level` (a word), `service`, `msg` and fields. Every string
 * argument and error passes through redactPersonalCodes, and the headers that carry credentials are
 * censored wherever they would appear, so a log line can be shipped to a log store as it is.
 */
export function createLedgerLog(options: LedgerLogOptions): LedgerLog {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: errorFields, error: errorFields },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'body', '*.body'],
        censor: '[redacted]',
      },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((a: unknown) => (typeof a === 'string' ? redactPersonalCodes(a) : a));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? process.stdout,
  );
}
