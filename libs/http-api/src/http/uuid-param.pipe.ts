import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** Record ids in paths are UUIDs; anything else is a 400 that names the parameter and the rule. */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () =>
    new BadRequestException({
      message: 'id: must be a UUID',
      issues: [{ field: 'id', rule: 'uuid', message: 'must be a UUID' }],
    }),
});
