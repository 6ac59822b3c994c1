import { DomainConflictError, DomainForbiddenError, DomainValidationError } from '@ihl/domain';
import { conflict, deciderSpec, forbidden, invalid, refusal } from './index';

// A counter: Add n (refused below 1), Reset (refused when already 0); `limit` comes through `when`.
type Event = { type: 'Added'; n: number } | { type: 'Reset' };
type Command = { type: 'Add'; n: number } | { type: 'Reset' };

function decide(total: number, command: Command, limit = 10): Event[] {
  if (command.type === 'Reset') {
    if (total === 0) throw new DomainConflictError('already-zero', 'nothing to reset');
    return [{ type: 'Reset' }];
  }
  if (command.n < 1) throw new DomainValidationError([{ field: 'n', rule: 'positive', message: 'must be > 0' }]);
  if (total + command.n > limit) throw new DomainForbiddenError('over-limit', 'over the limit');
  return [{ type: 'Added', n: command.n }];
}
const evolve = (total: number, e: Event): number => (e.type === 'Added' ? total + e.n : 0);

const withEvolve = deciderSpec({ decide, evolve, initialState: 0 });
const withFold = deciderSpec({ decide, fold: (events: readonly Event[]) => events.reduce(evolve, 0) });

describe('deciderSpec', () => {
  it.each([
    ['evolve + initialState', withEvolve],
    ['fold', withFold],
  ])('folds the given events (%s) and passes the extra arguments to decide', (_label, spec) => {
    const given = spec.given([{ type: 'Added', n: 4 }]);
    expect(given.state()).toBe(4);
    expect(given.when({ type: 'Add', n: 6 }).then([{ type: 'Added', n: 6 }])).toEqual([{ type: 'Added', n: 6 }]);
    given.when({ type: 'Add', n: 7 }).thenThrows(forbidden('over-limit'));
    given.when({ type: 'Add', n: 7 }, 11).then([{ type: 'Added', n: 7 }]);
    expect(given.when({ type: 'Reset' }).events()).toEqual([{ type: 'Reset' }]);
  });

  it('decides lazily: nothing runs before then / thenThrows / events', () => {
    const calls: Command[] = [];
    const spec = deciderSpec({
      decide: (state: number, command: Command) => (calls.push(command), decide(state, command)),
      evolve,
      initialState: 0,
    });
    const when = spec.given([]).when({ type: 'Reset' });
    expect(calls).toEqual([]);
    when.thenThrows(DomainConflictError);
    expect(calls).toHaveLength(1);
  });

  it('then fails when the events differ, and when the command is refused', () => {
    expect(() =>
      withEvolve
        .given([])
        .when({ type: 'Add', n: 1 })
        .then([{ type: 'Added', n: 2 }]),
    ).toThrow();
    expect(() => withEvolve.given([]).when({ type: 'Add', n: 1 }).then([])).toThrow();
    expect(() => withEvolve.given([]).when({ type: 'Reset' }).then([])).toThrow(DomainConflictError);
  });

  it('thenThrows returns the error and fails when the command is accepted', () => {
    const when = withEvolve.given([]).when({ type: 'Reset' });
    expect(when.thenThrows()).toBeInstanceOf(DomainConflictError);
    expect(when.thenThrows(DomainConflictError).code).toBe('already-zero');
    expect(() => withEvolve.given([]).when({ type: 'Add', n: 1 }).thenThrows()).toThrow(
      'expected the command to be refused, but it was accepted',
    );
  });

  it('thenThrows fails on another error class, and when the check returns false or throws', () => {
    const when = withEvolve.given([]).when({ type: 'Reset' });
    expect(() => when.thenThrows(DomainValidationError)).toThrow();
    expect(() => when.thenThrows(DomainConflictError, (e) => e.code === 'other')).toThrow();
    expect(() => when.thenThrows((e) => e instanceof DomainForbiddenError)).toThrow();
    expect(() =>
      when.thenThrows(() => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(when.thenThrows(DomainConflictError, (e) => e.code === 'already-zero')).toBeInstanceOf(DomainConflictError);
    expect(when.thenThrows((e) => e instanceof DomainConflictError)).toBeInstanceOf(DomainConflictError);
  });

  it('invalid / conflict / forbidden check the class and the field and rule or the code', () => {
    const bad = withEvolve.given([]).when({ type: 'Add', n: 0 });
    expect(bad.thenThrows(invalid('n', 'positive')).issues).toHaveLength(1);
    expect(() => bad.thenThrows(invalid('n', 'other'))).toThrow();
    expect(() => bad.thenThrows(conflict('already-zero'))).toThrow();
    const reset = withEvolve.given([]).when({ type: 'Reset' });
    expect(reset.thenThrows(conflict('already-zero')).code).toBe('already-zero');
    expect(() => reset.thenThrows(conflict('other'))).toThrow();
    expect(() => reset.thenThrows(forbidden('already-zero'))).toThrow();
    const over = withEvolve.given([]).when({ type: 'Add', n: 11 });
    expect(over.thenThrows(forbidden('over-limit')).code).toBe('over-limit');
    expect(() => over.thenThrows(forbidden('other'))).toThrow();
  });

  it('refusal returns what a function throws, and fails when it throws nothing', () => {
    const error = new Error('x');
    expect(
      refusal(() => {
        throw error;
      }),
    ).toBe(error);
    expect(() => refusal(() => 1)).toThrow('expected the command to be refused');
  });
});
