import { basename } from 'node:path';
import type { ProjectionRunnerState } from '@ihl/projections';
import type { ReadModelFollower } from './read-model-follower';

/**
 * Whether the read models follow the log, for readiness. `run` mode: the runner's own state
 * (`running` with its feed's, `restarting` with the error, ...). `follow` mode: `following` the
 * file the worker writes, or `waiting` for it, with the reason (missing, unreadable, being replayed
 * from 0, written by other read-model versions). `not-started`: start() has not opened a file.
 */
export type ReadModelsFeedState =
  | ProjectionRunnerState
  | { readonly status: 'following' }
  | { readonly status: 'waiting'; readonly reason: string }
  | { readonly status: 'not-started' };

/** Where a followed file stands, for readiness: followed, or why it is waited for. */
export function followerState(source: ReadModelFollower): ReadModelsFeedState {
  let condition: ReadModelFollower['condition'];
  try {
    condition = source.condition;
  } catch (e) {
    return {
      status: 'waiting',
      reason: `the read-model file ${basename(source.file)} cannot be read: ${errorText(e)}`,
    };
  }
  if (condition === 'current') return { status: 'following' };
  const name = basename(source.file);
  if (condition === 'replaying')
    return {
      status: 'waiting',
      reason: `the read-model file ${name} is being replayed from the start of the log`,
    };
  if (condition === 'other-versions')
    return {
      status: 'waiting',
      reason: `the read-model file ${name} holds read models of other versions than this process reads`,
    };
  return { status: 'waiting', reason: `the read-model file ${name} is closed` };
}

/** An error's message for a log line or a readiness answer: one line, bounded. */
export function errorText(e: unknown): string {
  const message = (e as Error | null)?.message;
  const text = typeof message === 'string' ? message : String(e);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
