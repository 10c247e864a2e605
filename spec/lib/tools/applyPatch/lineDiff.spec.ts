import { expect } from 'chai';
import fc from 'fast-check';
import { diffLines, splitLinesKeepingEnds, unifiedDiff } from '../../../../lib/tools/applyPatch/lineDiff.js';

/**
 * Applies a unified diff strictly by its header numbers (as `patch` would without fuzz), checking
 * every count and every old line, so a wrong `@@ -a,b +c,d @@` fails the test.
 */
const applyByHeaders = (oldText: string, diff: string): string => {
  const old = splitLinesKeepingEnds(oldText);
  const lines = diff === '' ? [] : diff.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let oldAt = 0;
  let i = 0;
  while (i < lines.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[i]!);
    if (header === null) throw new Error(`bad hunk header: ${lines[i]}`);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const newCount = header[4] === undefined ? 1 : Number(header[4]);
    // An empty range names the line before it.
    const oldStart = oldCount === 0 ? Number(header[1]) : Number(header[1]) - 1;
    const newStart = newCount === 0 ? Number(header[3]) : Number(header[3]) - 1;
    if (oldStart < oldAt) throw new Error('hunks overlap or go backwards');
    out.push(...old.slice(oldAt, oldStart));
    oldAt = oldStart;
    if (out.length !== newStart) throw new Error(`new start ${newStart + 1} but ${out.length} lines so far`);
    let seenOld = 0;
    let seenNew = 0;
    for (i++; i < lines.length && !lines[i]!.startsWith('@@'); i++) {
      const line = lines[i]!;
      const noNewline = lines[i + 1] === '\\ No newline at end of file';
      const text = line.slice(1) + (noNewline ? '' : '\n');
      if (line[0] === ' ' || line[0] === '-') {
        if (old[oldAt] !== text) throw new Error(`old line ${oldAt + 1} is ${JSON.stringify(old[oldAt])}, diff says ${JSON.stringify(text)}`);
        oldAt++;
        seenOld++;
      }
      if (line[0] === ' ' || line[0] === '+') {
        out.push(text);
        seenNew++;
      }
      if (noNewline) i++;
    }
    if (seenOld !== oldCount || seenNew !== newCount) throw new Error(`counts ${seenOld},${seenNew} vs header ${oldCount},${newCount}`);
  }
  return [...out, ...old.slice(oldAt)].join('');
};

/** Length of a longest common subsequence, by the textbook table. */
const lcsLength = (a: readonly string[], b: readonly string[]): number => {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const next = [0];
    b.forEach((y, j) => next.push(x === y ? row[j]! + 1 : Math.max(row[j + 1]!, next[j]!)));
    row = next;
  }
  return row[b.length]!;
};

// Few distinct lines, so texts repeat lines and the diff has real choices to make.
const text = fc.array(fc.constantFrom('a', 'b', 'c', '', '  a', 'd\n'), { maxLength: 30 }).map((parts) => parts.join('\n'));

describe('diffLines', () => {
  it('keeps common lines and puts deletions before insertions', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'x', 'c'])).to.deep.equal(['=', '-', '+', '=']);
    expect(diffLines([], ['x'])).to.deep.equal(['+']);
    expect(diffLines(['x'], [])).to.deep.equal(['-']);
    expect(diffLines([], [])).to.deep.equal([]);
  });

  it('is a shortest edit script (property: changed lines = |a| + |b| - 2·LCS)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 40 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((op) => op !== '+')).to.have.length(a.length);
        expect(ops.filter((op) => op !== '-')).to.have.length(b.length);
        expect(ops.filter((op) => op !== '=')).to.have.length(a.length + b.length - 2 * lcsLength(a, b));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('unifiedDiff', () => {
  it('writes GNU-style ranges: count omitted when 1, an empty range names the line before', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', { context: 1 })).to.equal('@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
    expect(unifiedDiff('one\n', 'two\n', { context: 1 })).to.equal('@@ -1 +1 @@\n-one\n+two\n');
    expect(unifiedDiff('', 'x\ny\n', { context: 3 })).to.equal('@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(unifiedDiff('x\ny\n', '', { context: 3 })).to.equal('@@ -1,2 +0,0 @@\n-x\n-y\n');
    expect(unifiedDiff('a\nb\n', 'a\nb\nc\n', { context: 0 })).to.equal('@@ -2,0 +3 @@\n+c\n');
  });

  it('splits distant changes into separate hunks and merges close ones', () => {
    const old = '1\n2\n3\n4\n5\n6\n7\n8\n9\n';
    expect(unifiedDiff(old, old.replace('2', 'two').replace('8', 'eight'), { context: 1 })).to.equal(
      '@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n@@ -7,3 +7,3 @@\n 7\n-8\n+eight\n 9\n',
    );
    expect(unifiedDiff(old, old.replace('2', 'two').replace('5', 'five'), { context: 1 })).to.equal(
      '@@ -1,6 +1,6 @@\n 1\n-2\n+two\n 3\n 4\n-5\n+five\n 6\n',
    );
  });

  it('marks a missing newline at the end of either side', () => {
    expect(unifiedDiff('a\nb', 'a\nb\n', { context: 1 })).to.equal('@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
  });

  it('prints the file labels only when there is a hunk', () => {
    const headers = { old: 'a/x', new: 'b/x' };
    expect(unifiedDiff('a\n', 'b\n', { context: 3, headers })).to.equal('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n');
    expect(unifiedDiff('same\n', 'same\n', { context: 3, headers })).to.equal('');
  });

  it('has headers and lines that rebuild the new text (property)', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (oldText, newText, context) => {
        expect(applyByHeaders(oldText, unifiedDiff(oldText, newText, { context }))).to.equal(newText);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
