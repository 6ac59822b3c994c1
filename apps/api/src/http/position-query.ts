import { parseAsOf, type AsOf } from '@ihl/application';
import { BadRequestException, ExecutionContext, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { Request } from 'express';
import { formatOf, type ExportFormat } from './csv-export';

/** `?position=`: the global position a write returned; the query waits for the read model to reach it. */
export function positionOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) {
    throw new BadRequestException({
      message: 'position: must be a whole number (the position a write returned)',
      issues: [
        {
          field: 'position',
          rule: 'integer',
          message: 'must be a whole number (the position a write returned)',
          value: text,
        },
      ],
    });
  }
  return Number(text);
}

/** `?asOf=`: a date YYYY-MM-DD (end of that day, Vilnius) or a global position. */
export function asOfOf(text: string | undefined): AsOf | undefined {
  if (text === undefined) return undefined;
  const asOf = parseAsOf(text);
  if (!asOf) {
    throw new BadRequestException({
      message: 'asOf: must be a date YYYY-MM-DD or a position',
      issues: [
        { field: 'asOf', rule: 'date-or-position', message: 'must be a date YYYY-MM-DD or a position', value: text },
      ],
    });
  }
  return asOf;
}

export interface FigureParams {
  readonly atLeastPosition: number | undefined;
  readonly asOf: AsOf | undefined;
  readonly format: ExportFormat;
}

/** The query parameters every figure endpoint takes: `position`, `asOf`, `format`. */
export const Figure = createParamDecorator((_data: unknown, ctx: ExecutionContext): FigureParams => {
  const q = ctx.switchToHttp().getRequest<Request>().query as Record<string, string | undefined>;
  // Format first: a bad format is refused before any wait or replay.
  const format = formatOf(q.format);
  return { atLeastPosition: positionOf(q.position), asOf: asOfOf(q.asOf), format };
});

/** The query parameters of a single record's read: `asOf`, `format` (csv: its history). */
export const ApiRecordQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'asOf',
      required: false,
      description: 'the record as it stood at the end of a day (YYYY-MM-DD, Vilnius) or at a position',
    }),
    ApiQuery({
      name: 'format',
      required: false,
      enum: ['json', 'csv'],
      description: 'csv: the history, an event a line',
    }),
  );

export const ApiFigureQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'position',
      required: false,
      description: 'answer only once the read model includes this position',
    }),
    ApiQuery({
      name: 'asOf',
      required: false,
      description: 'the figures as the ledger stood at the end of a day (YYYY-MM-DD, Vilnius) or at a position',
    }),
    ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] }),
  );
