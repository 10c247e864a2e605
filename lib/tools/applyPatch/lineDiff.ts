/** One step of a line diff: keep a line of both sides, drop a line of the old side, add a new one. */
export type DiffOp = '=' | '-' | '+';

/**
 * An edit script turning `a` into `b`: the shortest one (Myers' O(ND) algorithm in linear space)
 * unless the texts differ so much that finding it would take quadratic time, in which case a
 * correct but possibly longer one. Within a run of changes all deletions come before the
 * insertions, the order people expect to read.
 *
 * @example
 * diffLines(['a', 'b', 'c'], ['a', 'x', 'c']); // ['=', '-', '+', '=']
 */
export const diffLines = (a: readonly string[], b: readonly string[]): DiffOp[] => {
  // Interning lines as numbers keeps the inner loops on integer compares.
  const ids = new Map<string, number>();
  const intern = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const aIds = Int32Array.from(a, intern);
  const bIds = Int32Array.from(b, intern);
  // A line with no copy on the other side is a deletion or insertion in every shortest script, so
  // it is set aside before the search; for rewritten files this removes most of the work.
  const inA = new Set(aIds);
  const inB = new Set(bIds);
  const aKept = aIds.filter((id) => inB.has(id));
  const bKept = bIds.filter((id) => inA.has(id));
  const kept: DiffOp[] = [];
  compareRange(aKept, 0, aKept.length, bKept, 0, bKept.length, kept);

  const out: DiffOp[] = [];
  let x = 0;
  let y = 0;
  const skipUnmatched = (): void => {
    for (; x < aIds.length && !inB.has(aIds[x]!); x++) out.push('-');
    for (; y < bIds.length && !inA.has(bIds[y]!); y++) out.push('+');
  };
  for (const op of kept) {
    skipUnmatched();
    out.push(op);
    if (op !== '+') x++;
    if (op !== '-') y++;
  }
  skipUnmatched();
  return deletionsFirst(out);
};

const repeat = (out: DiffOp[], op: DiffOp, count: number): void => {
  for (let i = 0; i < count; i++) out.push(op);
};

const compareRange = (
  a: Int32Array, aLo: number, aHi: number,
  b: Int32Array, bLo: number, bHi: number,
  out: DiffOp[],
): void => {
  let prefix = 0;
  while (aLo + prefix < aHi && bLo + prefix < bHi && a[aLo + prefix] === b[bLo + prefix]) prefix++;
  repeat(out, '=', prefix);
  aLo += prefix;
  bLo += prefix;
  let suffix = 0;
  while (aHi - suffix > aLo && bHi - suffix > bLo && a[aHi - 1 - suffix] === b[bHi - 1 - suffix]) suffix++;
  aHi -= suffix;
  bHi -= suffix;

  if (aLo === aHi) repeat(out, '+', bHi - bLo);
  else if (bLo === bHi) repeat(out, '-', aHi - aLo);
  else {
    const split = middleSnake(a, aLo, aHi, b, bLo, bHi);
    if (split === undefined) {
      repeat(out, '-', aHi - aLo);
      repeat(out, '+', bHi - bLo);
    } else {
      compareRange(a, aLo, split[0], b, bLo, split[1], out);
      compareRange(a, split[0], aHi, b, split[1], bHi, out);
    }
  }
  repeat(out, '=', suffix);
};

// Edit cost beyond which the search stops looking for the shortest script and splits at the
// furthest point reached: a near-total rewrite of a big file would otherwise take quadratic time.
const MAX_COST = 512;

/**
 * Runs the forward and the backward search for the shortest edit path at the same time and
 * returns the point where they meet, which splits the problem in two halves of the same cost.
 * Past {@link MAX_COST} it settles for the furthest point the forward search reached (the script
 * stays correct, only possibly longer). `undefined` when the split would not shrink the problem.
 */
const middleSnake = (
  a: Int32Array, aLo: number, aHi: number,
  b: Int32Array, bLo: number, bHi: number,
): readonly [number, number] | undefined => {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.ceil((n + m) / 2);
  // Diagonals -d..d of the costs searched, plus one on each side for the neighbour reads.
  const offset = Math.min(maxD, MAX_COST + 1);
  const size = 2 * offset + 2;
  // forward[k] / backward[k]: furthest x reached on diagonal k (x - y = k, counted from the
  // range's start resp. end); -1 = not reached yet.
  const forward = new Int32Array(size).fill(-1);
  const backward = new Int32Array(size).fill(-1);
  forward[offset + 1] = 0;
  backward[offset + 1] = 0;
  const delta = n - m;
  // With an odd delta the paths can only meet on a forward step, with an even one on a backward step.
  const meetsForward = delta % 2 !== 0;
  let fStart = 0, fEnd = 0, bStart = 0, bEnd = 0;
  const accept = (x: number, y: number): readonly [number, number] | undefined =>
    (x === 0 && y === 0) || (x === n && y === m) ? undefined : [aLo + x, bLo + y];
  let furthest: readonly [number, number] = [0, 0];

  for (let d = 0; d < maxD; d++) {
    if (d > MAX_COST) return accept(...furthest);
    for (let k = -d + fStart; k <= d - fEnd; k += 2) {
      const i = offset + k;
      let x = k === -d || (k !== d && forward[i - 1]! < forward[i + 1]!) ? forward[i + 1]! : forward[i - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      forward[i] = x;
      if (x <= n && y <= m && x + y > furthest[0] + furthest[1]) furthest = [x, y];
      if (x > n) fEnd += 2;
      else if (y > m) fStart += 2;
      else if (meetsForward) {
        const j = offset + delta - k;
        if (j >= 0 && j < size && backward[j] !== -1 && x >= n - backward[j]!) return accept(x, y);
      }
    }
    for (let k = -d + bStart; k <= d - bEnd; k += 2) {
      const i = offset + k;
      let x = k === -d || (k !== d && backward[i - 1]! < backward[i + 1]!) ? backward[i + 1]! : backward[i - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
        x++;
        y++;
      }
      backward[i] = x;
      if (x > n) bEnd += 2;
      else if (y > m) bStart += 2;
      else if (!meetsForward) {
        const j = offset + delta - k;
        if (j >= 0 && j < size && forward[j] !== -1) {
          const fx = forward[j]!;
          if (fx >= n - x) return accept(fx, fx - (j - offset));
        }
      }
    }
  }
  return undefined;
};

const deletionsFirst = (ops: DiffOp[]): DiffOp[] => {
  const out: DiffOp[] = [];
  let deletions = 0;
  let insertions = 0;
  const flush = (): void => {
    repeat(out, '-', deletions);
    repeat(out, '+', insertions);
    deletions = insertions = 0;
  };
  for (const op of ops) {
    if (op === '-') deletions++;
    else if (op === '+') insertions++;
    else {
      flush();
      out.push('=');
    }
  }
  flush();
  return out;
};

/**
 * Splits text into lines that keep their `\n`, so a missing newline at the end of a file is a
 * difference like any other (and is shown as `\ No newline at end of file`).
 *
 * @example
 * splitLinesKeepingEnds('a\nb'); // ['a\n', 'b']
 */
export const splitLinesKeepingEnds = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions {
  /** Unchanged lines shown around each change. */
  readonly context: number;
  /** `---` / `+++` file labels; printed only when there is at least one hunk. */
  readonly headers?: { readonly old: string; readonly new: string };
}

/**
 * A unified diff of two texts: `@@ -a,b +c,d @@` hunks with `context` unchanged lines around each
 * change (ranges as GNU diff writes them: the count is omitted when it is 1, and an empty range
 * names the line before it). Returns `''` when the texts are equal.
 *
 * @example
 * unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', { context: 1 });
 * // '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n'
 */
export const unifiedDiff = (oldText: string, newText: string, options: UnifiedDiffOptions): string => {
  const oldLines = splitLinesKeepingEnds(oldText);
  const newLines = splitLinesKeepingEnds(newText);
  const ops = diffLines(oldLines, newLines);
  // Where each op sits in the old and the new text.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let x = 0;
  let y = 0;
  for (const op of ops) {
    oldAt.push(x);
    newAt.push(y);
    if (op !== '+') x++;
    if (op !== '-') y++;
  }

  const hunks: (readonly [number, number])[] = [];
  ops.forEach((op, i) => {
    if (op === '=') return;
    const start = Math.max(0, i - options.context);
    const end = Math.min(ops.length, i + 1 + options.context);
    const last = hunks[hunks.length - 1];
    if (last !== undefined && start <= last[1]) hunks[hunks.length - 1] = [last[0], end];
    else hunks.push([start, end]);
  });
  if (hunks.length === 0) return '';

  let out = options.headers === undefined ? '' : `--- ${options.headers.old}\n+++ ${options.headers.new}\n`;
  for (const [start, end] of hunks) {
    const slice = ops.slice(start, end);
    const oldCount = slice.filter((op) => op !== '+').length;
    const newCount = slice.filter((op) => op !== '-').length;
    out += `@@ -${range(oldAt[start]!, oldCount)} +${range(newAt[start]!, newCount)} @@\n`;
    for (let i = start; i < end; i++) {
      const op = ops[i]!;
      const line = op === '+' ? newLines[newAt[i]!]! : oldLines[oldAt[i]!]!;
      out += `${op === '=' ? ' ' : op}${line}`;
      if (!line.endsWith('\n')) out += '\n\\ No newline at end of file\n';
    }
  }
  return out;
};

const range = (start: number, count: number): string =>
  count === 1 ? `${start + 1}` : `${count === 0 ? start : start + 1},${count}`;
