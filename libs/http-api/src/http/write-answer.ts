import type { Response } from 'express';
import type { WriteResult } from '@ihl/application';

/** Every write answers the same way: 201 when it changed the ledger, 200 for a replay; ETag = revision. */
export function writeAnswer<T extends object>(res: Response, result: WriteResult, body: T) {
  res.status(result.changed ? 201 : 200);
  res.setHeader('ETag', `"${result.revision}"`);
  return { ...body, streamId: result.streamId, revision: result.revision, position: result.position };
}
