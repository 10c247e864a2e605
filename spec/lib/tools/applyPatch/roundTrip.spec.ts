import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { diffLines } from '../../../../lib/tools/applyPatch/lineDiff.js';
import { parsePatch } from '../../../../lib/tools/applyPatch/parsePatch.js';
import { planPatch } from '../../../../lib/tools/applyPatch/planPatch.js';

/** An `*** Update File` patch turning `oldLines` into `newLines`, with `context` unchanged lines around each change. */
const updatePatch = (path: string, oldLines: readonly string[], newLines: readonly string[], context: number): string => {
  const ops = diffLines(oldLines, newLines);
  const hunks: [number, number][] = [];
  ops.forEach((op, i) => {
    if (op === '=') return;
    const start = Math.max(0, i - context);
    const end = Math.min(ops.length, i + 1 + context);
    const last = hunks[hunks.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = end;
    else hunks.push([start, end]);
  });
  const body: string[] = [];
  let x = 0;
  let y = 0;
  let opIndex = 0;
  for (const [start, end] of hunks) {
    for (; opIndex < start; opIndex++) {
      x++;
      y++;
    }
    body.push('@@');
    for (; opIndex < end; opIndex++) {
      const op = ops[opIndex]!;
      body.push(op === '+' ? `+${newLines[y]}` : `${op === '=' ? ' ' : '-'}${oldLines[x]}`);
      if (op !== '+') x++;
      if (op !== '-') y++;
    }
  }
  return ['*** Begin Patch', `*** Update File: ${path}`, ...body, '*** End Patch'].join('\n');
};

// Any text without line breaks (a CR at a line's end would read as a CRLF line end).
const line = fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, '~'));

// Distinct lines, so every hunk has a single place in the file; the edits delete, insert and reorder.
const edit = fc.uniqueArray(line, { maxLength: 25 }).chain((pool) =>
  fc.tuple(
    fc.subarray(pool),
    fc.oneof(fc.subarray(pool), fc.shuffledSubarray(pool)),
    fc.boolean(),
    fc.integer({ min: 1, max: 3 }),
  ),
);

describe('apply_patch round trip', () => {
  it('applying a patch made from the diff of two files rebuilds the second one (property)', async () => {
    await fc.assert(
      fc.asyncProperty(edit, async ([oldLines, newLines, finalNewline, context]) => {
        fc.pre(oldLines.join('\n') !== newLines.join('\n'));
        const withNewlines = oldLines.map((l) => `${l}\n`).join('');
        // Without its final newline a file ending in an empty line would lose that line.
        const oldText = finalNewline || oldLines[oldLines.length - 1] === '' ? withNewlines : withNewlines.slice(0, -1);
        const patch = parsePatch(updatePatch('f.txt', oldLines, newLines, context));
        if (E.isLeft(patch)) throw new Error(patch.left.message);
        const plan = await planPatch(patch.right, { read: async () => oldText }, '/w');
        if (E.isLeft(plan)) throw new Error(plan.left.message);
        const [write] = plan.right.writes;
        expect(write).to.deep.equal({
          type: 'write', path: '/w/f.txt', contents: newLines.length === 0 ? '' : `${newLines.join('\n')}\n`,
        });
      }),
      { numRuns: 300, seed: 20260212 },
    );
  });
});
