import { v7 as uuidv7 } from 'uuid';

/**
 * Time and identity as dependencies: thread and turn code asks these, never `Date.now()` or a
 * uuid function directly, so tests and replays can pin them.
 *
 * @example
 * const world: World = { now: () => new Date('2026-01-01T00:00:00Z'), newId: () => 'fixed' };
 */
export interface World {
  readonly now: () => Date;
  /** A new id for threads, turns and items: UUIDv7, time-ordered like the reference's. */
  readonly newId: () => string;
}

export const realWorld: World = { now: () => new Date(), newId: () => uuidv7() };
