// Replaying a long rollout appends tens of thousands of items to the model history. Copying a
// flat array on every append makes that quadratic (seconds for a 30k-line file); full chunks are
// shared between versions instead, so an append copies at most one chunk's worth of references.
const CHUNK = 64;

/**
 * An immutable list with cheap appends: full chunks of 64, shared between versions, plus a tail.
 * The shape is canonical (only the tail is ever short), so two lists with the same elements are
 * deep-equal.
 *
 * @example
 * toArray(append(append(emptyList<number>(), 1), 2)); // [1, 2]
 */
export interface ChunkedList<T> {
  readonly chunks: readonly (readonly T[])[];
  readonly tail: readonly T[];
}

export const emptyList = <T>(): ChunkedList<T> => ({ chunks: [], tail: [] });

/** A new list with `item` at the end; the old one is unchanged. */
export const append = <T>(list: ChunkedList<T>, item: T): ChunkedList<T> =>
  list.tail.length + 1 === CHUNK ? { chunks: [...list.chunks, [...list.tail, item]], tail: [] } : { chunks: list.chunks, tail: [...list.tail, item] };

/** The elements as a fresh array. */
export const toArray = <T>(list: ChunkedList<T>): T[] => [...list.chunks.flat(), ...list.tail] as T[];

/** The list holding `items`, in the canonical shape. */
export const fromArray = <T>(items: readonly T[]): ChunkedList<T> => {
  const full = items.length - (items.length % CHUNK);
  const chunks: T[][] = [];
  for (let start = 0; start < full; start += CHUNK) chunks.push(items.slice(start, start + CHUNK));
  return { chunks, tail: items.slice(full) };
};
