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
