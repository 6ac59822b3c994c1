import { parseAsOf, type AsOf } from '@ihl/application';
import { BadRequestException } from '@nestjs/common';

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
