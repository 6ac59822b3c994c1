import type { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { WriteResult } from '@ihl/application';

/** Every write answers the same way: 201 when it changed the ledger, 200 for a replay; ETag = revision. */
export function writeAnswer<T extends object>(res: Response, result: WriteResult, body: T) {
  res.status(result.changed ? 201 : 200);
  res.setHeader('ETag', `"${result.revision}"`);
  return { ...body, streamId: result.streamId, revision: result.revision, position: result.position };
}

/** Runs a write command and answers with `body` (the record's id) beside its stream, revision and position. */
export async function commandAnswer<T extends object>(commands: CommandBus, res: Response, command: object, body: T) {
  return writeAnswer(res, await commands.execute<object, WriteResult>(command), body);
}

/** A new record's answer: as any write's, and where it now lives (`<collection>/<id>` of its project). */
export function createdAnswer<T extends object>(
  res: Response,
  result: WriteResult,
  where: { readonly code: string; readonly collection: string; readonly id: string },
  body: T,
) {
  res.setHeader('Location', `/api/v1/projects/${encodeURIComponent(where.code)}/${where.collection}/${where.id}`);
  return writeAnswer(res, result, body);
}
