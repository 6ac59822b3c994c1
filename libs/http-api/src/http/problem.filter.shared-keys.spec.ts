import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { SharedKeyStoreUnavailableError } from '@ihl/privacy';
import { ProblemFilter } from './problem.filter';

describe('ProblemFilter: the shared person-key store did not answer', () => {
  it('answers 503 with a message a client can act on, not the store detail', () => {
    const sent: { status?: number; body?: unknown } = {};
    const res = {
      setHeader: () => res,
      status: (s: number) => ((sent.status = s), res),
      json: (b: unknown) => ((sent.body = b), res),
    };
    const host = new ExecutionContextHost([{ method: 'POST', path: '/x' }, res]);
    new ProblemFilter().catch(
      new SharedKeyStoreUnavailableError('person key store (EventStoreDB): no answer within 10000 ms'),
      host,
    );
    expect(sent.status).toBe(503);
    expect(sent.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the person key store did not answer; nothing was written; try again shortly',
    });
  });
});
