import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { parsePatch } from '../../../../lib/tools/applyPatch/parsePatch.js';
import { planPatch, type PatchPlan } from '../../../../lib/tools/applyPatch/planPatch.js';
import { emptyTurnDiff, recordPatch, renderTurnDiff, type TurnDiff } from '../../../../lib/tools/applyPatch/turnDiff.js';

const CWD = '/w';
// Git blob ids (`git hash-object`) of the contents used below.
const HELLO = 'ce013625030ba8dba906f756967f9e9ca394464a'; // 'hello\n'
const EMPTY = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'; // ''
const ONE_TWO_THREE = '4cb29ea38f70d7c61b2a3a25b02e3bdf44905402'; // 'one\ntwo\nthree\n'
const ONE_2_THREE = 'f04eb265ebd74fba2cddf0a6adf2a6a7f81c87aa'; // 'one\n2\nthree\n'
const ZERO = '0'.repeat(40);

/**
 * A turn over an in-memory workspace: each patch is planned against the files as the previous
 * patches left them, then recorded, as the turn pipeline does after a successful apply.
 */
const turn = async (files: Record<string, string>, ...patches: string[][]): Promise<TurnDiff> => {
  const disk = new Map(Object.entries(files));
  let diff = emptyTurnDiff;
  for (const body of patches) {
    const patch = parsePatch(['*** Begin Patch', ...body, '*** End Patch'].join('\n'));
    if (E.isLeft(patch)) throw new Error(patch.left.message);
    const plan: E.Either<unknown, PatchPlan> = await planPatch(patch.right, { read: async (p) => disk.get(p) }, CWD);
    if (E.isLeft(plan)) throw new Error(String(plan.left));
    for (const step of plan.right.writes) {
      if (step.type === 'write') disk.set(step.path, step.contents);
      else disk.delete(step.path);
    }
    diff = recordPatch(diff, plan.right);
  }
  return diff;
};

describe('turn diff', () => {
  it('is undefined before any change', () => {
    expect(renderTurnDiff(emptyTurnDiff, CWD)).to.equal(undefined);
  });

  it('shows an added file as new, against /dev/null', async () => {
    expect(renderTurnDiff(await turn({}, ['*** Add File: hello.txt', '+hello']), CWD)).to.equal(
      `diff --git a/hello.txt b/hello.txt\nnew file mode 100644\nindex ${ZERO}..${HELLO}\n` +
      '--- /dev/null\n+++ b/hello.txt\n@@ -0,0 +1 @@\n+hello\n',
    );
  });

  it('shows an added empty file without hunks', async () => {
    expect(renderTurnDiff(await turn({}, ['*** Add File: empty.txt']), CWD)).to.equal(
      `diff --git a/empty.txt b/empty.txt\nnew file mode 100644\nindex ${ZERO}..${EMPTY}\n`,
    );
  });

  it('shows a deleted file against /dev/null', async () => {
    expect(renderTurnDiff(await turn({ '/w/hello.txt': 'hello\n' }, ['*** Delete File: hello.txt']), CWD)).to.equal(
      `diff --git a/hello.txt b/hello.txt\ndeleted file mode 100644\nindex ${HELLO}..${ZERO}\n` +
      '--- a/hello.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-hello\n',
    );
  });

  it('aggregates several patches on one file into one diff from the content before the turn', async () => {
    const diff = await turn(
      { '/w/n.txt': 'one\ntwo\nthree\n' },
      ['*** Update File: n.txt', '@@', '-two', '+TWO'],
      ['*** Update File: n.txt', '@@', '-TWO', '+2'],
    );
    expect(renderTurnDiff(diff, CWD)).to.equal(
      `diff --git a/n.txt b/n.txt\nindex ${ONE_TWO_THREE}..${ONE_2_THREE}\n` +
      '--- a/n.txt\n+++ b/n.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n',
    );
  });

  it('drops files whose changes cancel out', async () => {
    expect(renderTurnDiff(await turn({}, ['*** Add File: tmp.txt', '+x'], ['*** Delete File: tmp.txt']), CWD)).to.equal(undefined);
    expect(renderTurnDiff(await turn({ '/w/a': 'a\n' }, ['*** Update File: a', '@@', '-a', '+b'], ['*** Update File: a', '@@', '-b', '+a']), CWD))
      .to.equal(undefined);
  });

  it('shows a move, even across patches, as one diff from the old name to the new one', async () => {
    const diff = await turn(
      { '/w/src/old.txt': 'one\ntwo\nthree\n' },
      ['*** Update File: src/old.txt', '*** Move to: src/mid.txt', '@@', '-two', '+2'],
      ['*** Update File: src/mid.txt', '*** Move to: lib/new.txt', '@@', ' one'],
    );
    expect(renderTurnDiff(diff, CWD)).to.equal(
      `diff --git a/src/old.txt b/lib/new.txt\nindex ${ONE_TWO_THREE}..${ONE_2_THREE}\n` +
      '--- a/src/old.txt\n+++ b/lib/new.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n',
    );
  });

  it('shows a move onto an existing file as a delete and an update', async () => {
    const diff = await turn({ '/w/a.txt': 'hello\n', '/w/b.txt': '' }, ['*** Update File: a.txt', '*** Move to: b.txt', '@@', ' hello']);
    expect(renderTurnDiff(diff, CWD)).to.equal(
      `diff --git a/a.txt b/a.txt\ndeleted file mode 100644\nindex ${HELLO}..${ZERO}\n--- a/a.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-hello\n` +
      `diff --git a/b.txt b/b.txt\nindex ${EMPTY}..${HELLO}\n--- a/b.txt\n+++ b/b.txt\n@@ -0,0 +1 @@\n+hello\n`,
    );
  });

  it('orders files by their path relative to cwd and keeps outside paths absolute', async () => {
    const diff = await turn({}, ['*** Add File: z.txt', '+hello', '*** Add File: /elsewhere/x.txt', '+hello', '*** Add File: a/b.txt', '+hello']);
    const headers = renderTurnDiff(diff, CWD)!.split('\n').filter((line) => line.startsWith('diff --git'));
    expect(headers).to.deep.equal([
      'diff --git a//elsewhere/x.txt b//elsewhere/x.txt',
      'diff --git a/a/b.txt b/a/b.txt',
      'diff --git a/z.txt b/z.txt',
    ]);
  });

  it('is a pure fold: recording returns a new state and leaves the old one as it was', async () => {
    const before = await turn({}, ['*** Add File: a.txt', '+hello']);
    const rendered = renderTurnDiff(before, CWD);
    const patch = parsePatch('*** Begin Patch\n*** Add File: b.txt\n+x\n*** End Patch');
    if (E.isLeft(patch)) throw new Error(patch.left.message);
    const plan = await planPatch(patch.right, { read: async () => undefined }, CWD);
    if (E.isLeft(plan)) throw new Error(plan.left.message);
    const after = recordPatch(before, plan.right);
    expect(after).to.not.equal(before);
    expect(renderTurnDiff(before, CWD)).to.equal(rendered);
    expect(renderTurnDiff(after, CWD)).to.contain('b/b.txt');
  });
});
