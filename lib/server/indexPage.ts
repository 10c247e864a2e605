import { rpcError } from './rpcError.js';

/** The largest `usize` on the reference's 64-bit builds: a cursor above it does not parse there. */
const USIZE_MAX = 2n ** 64n - 1n;

/** A page cut by a start index: what `model/list` and `experimentalFeature/list` answer. */
export interface IndexPage<T> {
  readonly data: T[];
  readonly nextCursor: string | null;
}

/**
 * Pages a list whose cursor is a start index, with the reference's rules: the cursor parses as a
 * decimal `usize` (an optional `+`, no spaces; else `-32600 invalid cursor: <c>`), may equal the
 * count (an empty last page) but not exceed it (`-32600 cursor <n> exceeds total <noun> <count>`);
 * `limit` defaults to everything and is at least 1; `nextCursor` is the end index while more remain.
 *
 * @example
 * indexPage(['a', 'b', 'c'], { limit: 2 }, 'models');              // { data: ['a', 'b'], nextCursor: '2' }
 * indexPage(['a', 'b', 'c'], { cursor: '2', limit: 2 }, 'models'); // { data: ['c'], nextCursor: null }
 */
export const indexPage = <T>(
  items: readonly T[],
  params: { readonly cursor?: string | null; readonly limit?: number | null },
  noun: string,
): IndexPage<T> => {
  const total = items.length;
  const cursor = params.cursor ?? null;
  let start = 0;
  if (cursor !== null) {
    const at = /^\+?\d+$/.test(cursor) ? BigInt(cursor.replace('+', '')) : null;
    if (at === null || at > USIZE_MAX) throw rpcError.invalidRequest(`invalid cursor: ${cursor}`, 'invalidCursor');
    if (at > BigInt(total)) throw rpcError.invalidRequest(`cursor ${at} exceeds total ${noun} ${total}`, 'invalidCursor');
    start = Number(at);
  }
  const limit = Math.max(1, params.limit ?? total);
  const end = Math.min(total, start + limit);
  return { data: items.slice(start, end), nextCursor: end < total ? String(end) : null };
};
