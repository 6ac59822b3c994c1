/** Time and ids come from outside the domain so that replay is deterministic and tests can pin them. */
export interface Clock {
  now(): Date;
}
export interface IdGenerator {
  newId(): string;
}
export const CLOCK = Symbol('CLOCK');
export const ID_GENERATOR = Symbol('ID_GENERATOR');
