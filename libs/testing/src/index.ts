/**
 * Given / when / then for deciders (in the style of Emmett's DeciderSpecification). Test code only:
 * it uses Jest's global `expect`, and libs/domain non-test files must never import it.
 *
 * ```ts
 * const { given } = deciderSpec({
 *   decide: (state, command: ActivityCommand, actor: ActivityActor = partner, ctx: DatingContext = open) =>
 *     decideActivity(state, command, actor, ctx),
 *   evolve: evolveActivity, // or `fold: foldActivity` instead of evolve + initialState
 *   initialState: initialActivityState,
 * });
 *
 * given([recorded]).when(correct, partner, lockedCtx).then([proposed]); // asserts and returns the events
 * given([]).when(record).thenThrows(invalid('occurredOn', 'not-in-future')); // returns the error
 * given([recorded]).when(void_, agency).thenThrows(DomainForbiddenError, (e) => e.code === 'partner-only');
 * const events = given([recorded]).when(verify, agency).events(); // for further checks
 * given([recorded]).state(); // the folded state
 * ```
 *
 * Arguments after the command (actor, dating context, budget, ...) are whatever `decide` takes after
 * `(state, command)`; give them defaults in `decide` to make them optional in `when`.
 * `when` decides lazily: nothing runs until `then`, `thenThrows` or `events` is called.
 */
import { DomainConflictError, DomainForbiddenError, DomainValidationError } from '@ihl/domain';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor of an error
export type ErrorClass<T extends Error> = new (...args: any[]) => T;

type Decide<S, C, E, X extends unknown[]> = (state: S, command: C, ...context: X) => readonly E[];

export type DeciderSpecOptions<S, C, E, X extends unknown[]> =
  | { readonly decide: Decide<S, C, E, X>; readonly evolve: (state: S, event: E) => S; readonly initialState: S }
  | { readonly decide: Decide<S, C, E, X>; readonly fold: (events: readonly E[]) => S };

export interface DeciderThen<E> {
  /** Asserts that the command was accepted with exactly these events (`toEqual`); returns them. */
  then(expected: readonly E[]): E[];
  /** Asserts that the command was refused; returns the error. */
  thenThrows(): Error;
  /** ...with an error for which the type guard holds (see `invalid`, `conflict`, `forbidden`). */
  thenThrows<T>(check: (error: unknown) => error is T): T;
  /** ...with an error for which `check` does not return false nor throw. */
  thenThrows(check: (error: unknown) => boolean | void): unknown;
  /** ...with an error of this class, for which `check` (if given) does not return false nor throw. */
  thenThrows<T extends Error>(errorClass: ErrorClass<T>, check?: (error: T) => boolean | void): T;
  /** The decided events, for further checks (a refusal propagates). */
  events(): E[];
}

export interface DeciderGiven<S, C, E, X extends unknown[]> {
  when(command: C, ...context: X): DeciderThen<E>;
  /** The state folded from the given events. */
  state(): S;
}

export interface DeciderSpec<S, C, E, X extends unknown[]> {
  given(events: readonly E[]): DeciderGiven<S, C, E, X>;
}

export function deciderSpec<S, C, E, X extends unknown[]>(
  options: DeciderSpecOptions<S, C, E, X>,
): DeciderSpec<S, C, E, X> {
  const fold =
    'fold' in options ? options.fold : (events: readonly E[]): S => events.reduce(options.evolve, options.initialState);
  return {
    given: (events) => ({
      state: () => fold(events),
      when: (command, ...context) => {
        const decide = (): E[] => [...options.decide(fold(events), command, ...context)];
        return {
          events: decide,
          then: (expected: readonly E[]) => {
            const decided = decide();
            expect(decided).toEqual(expected);
            return decided;
          },
          thenThrows: (first?: ErrorClass<Error> | ((error: unknown) => boolean | void), check?: unknown) => {
            const error = refusal(decide);
            if (first === undefined) return error;
            const isClass = first.prototype instanceof Error || first === Error;
            if (isClass) expect(error).toBeInstanceOf(first);
            const predicate = (isClass ? check : first) as ((e: unknown) => boolean | void) | undefined;
            if (predicate && predicate(error) === false) {
              throw new Error(`the refusal did not pass the check: ${String(error)}`);
            }
            return error;
          },
        } as DeciderThen<E>;
      },
    }),
  };
}

/** The error `run` throws; fails when it throws nothing. */
export function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the command to be refused, but it was accepted');
}

/** A refusal naming exactly one broken rule: `field` and `rule`. */
export const invalid =
  (field: string, rule: string) =>
  (error: unknown): error is DomainValidationError => {
    expect(error).toBeInstanceOf(DomainValidationError);
    expect((error as DomainValidationError).issues.map((i) => [i.field, i.rule])).toEqual([[field, rule]]);
    return true;
  };

/** A conflict with the current state, with this code. */
export const conflict =
  (code: string) =>
  (error: unknown): error is DomainConflictError => {
    expect(error).toBeInstanceOf(DomainConflictError);
    expect((error as DomainConflictError).code).toBe(code);
    return true;
  };

/** A role not allowed to act, with this code. */
export const forbidden =
  (code: string) =>
  (error: unknown): error is DomainForbiddenError => {
    expect(error).toBeInstanceOf(DomainForbiddenError);
    expect((error as DomainForbiddenError).code).toBe(code);
    return true;
  };
