import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type { PatchError } from '../../../../lib/tools/applyPatch/patch.js';
import { parsePatch } from '../../../../lib/tools/applyPatch/parsePatch.js';
import { planPatch, type PatchPlan, type PatchReader } from '../../../../lib/tools/applyPatch/planPatch.js';

const CWD = '/w';

const readerOf = (files: Record<string, string>): PatchReader => ({ read: async (path) => files[path] });

const plan = async (files: Record<string, string>, ...body: string[]): Promise<E.Either<PatchError, PatchPlan>> => {
  const patch = parsePatch(['*** Begin Patch', ...body, '*** End Patch'].join('\n'));
  if (E.isLeft(patch)) throw new Error(patch.left.message);
  return planPatch(patch.right, readerOf(files), CWD);
};

const planned = async (files: Record<string, string>, ...body: string[]): Promise<PatchPlan> => {
  const result = await plan(files, ...body);
  if (E.isLeft(result)) throw new Error(`expected a plan, got: ${result.left.message}`);
  return result.right;
};

const failed = async (files: Record<string, string>, ...body: string[]): Promise<PatchError> => {
  const result = await plan(files, ...body);
  if (E.isRight(result)) throw new Error('expected the plan to fail');
  return result.left;
};

/** The content the plan leaves at `path` (its last write), or undefined when removed/untouched. */
const written = (result: PatchPlan, path: string): string | undefined => {
  const steps = result.writes.filter((step) => step.path === path);
  const last = steps[steps.length - 1];
  return last?.type === 'write' ? last.contents : undefined;
};

describe('planPatch', () => {
  describe('changes for the fileChange item', () => {
    it('gives an update a unified diff with one line of context and absolute paths', async () => {
      const result = await planned({ '/w/a.txt': 'zero\none\ntwo\nthree\nfour\n' }, '*** Update File: a.txt', '@@', ' one', '-two', '+2', ' three');
      expect(result.changes).to.deep.equal([
        { path: '/w/a.txt', kind: { type: 'update', move_path: null }, diff: '@@ -2,3 +2,3 @@\n one\n-two\n+2\n three\n' },
      ]);
      expect(result.writes).to.deep.equal([{ type: 'write', path: '/w/a.txt', contents: 'zero\none\n2\nthree\nfour\n' }]);
      expect(result.cwd).to.equal('/w');
    });

    it('gives an add and a delete the whole content, and sorts changes by path', async () => {
      const result = await planned({ '/w/old.txt': 'bye\n' }, '*** Add File: z/new.txt', '+hi', '*** Delete File: old.txt');
      expect(result.changes).to.deep.equal([
        { path: '/w/old.txt', kind: { type: 'delete' }, diff: 'bye\n' },
        { path: '/w/z/new.txt', kind: { type: 'add' }, diff: 'hi\n' },
      ]);
      expect(result.writes).to.deep.equal([
        { type: 'write', path: '/w/z/new.txt', contents: 'hi\n' },
        { type: 'remove', path: '/w/old.txt' },
      ]);
    });

    it('appends the destination to the diff of a move and writes before removing', async () => {
      const result = await planned({ '/w/src.txt': 'line\n' }, '*** Update File: src.txt', '*** Move to: dir/dst.txt', '@@', '-line', '+line2');
      expect(result.changes).to.deep.equal([{
        path: '/w/src.txt',
        kind: { type: 'update', move_path: '/w/dir/dst.txt' },
        diff: '@@ -1 +1 @@\n-line\n+line2\n\n\nMoved to: /w/dir/dst.txt',
      }]);
      expect(result.writes).to.deep.equal([
        { type: 'write', path: '/w/dir/dst.txt', contents: 'line2\n' },
        { type: 'remove', path: '/w/src.txt' },
      ]);
      expect(result.files[0]).to.deep.include({ displayPath: 'dir/dst.txt', destinationBefore: undefined });
    });

    it("resolves paths against a heredoc's cd and keeps absolute paths as they are", async () => {
      const patch = parsePatch("cd pkg && apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: a.txt\n+x\n*** Add File: /abs/b.txt\n+y\n*** End Patch\nEOF");
      if (E.isLeft(patch)) throw new Error(patch.left.message);
      const result = await planPatch(patch.right, readerOf({}), CWD);
      expect(E.isRight(result) && result.right.changes.map((c) => c.path)).to.deep.equal(['/abs/b.txt', '/w/pkg/a.txt']);
      expect(E.isRight(result) && result.right.cwd).to.equal('/w/pkg');
    });
  });

  describe('new contents', () => {
    it('applies several hunks in order and adds a final newline', async () => {
      const result = await planned({ '/w/m.txt': 'foo\nbar\nbaz\nqux' }, '*** Update File: m.txt', '@@', ' foo', '-bar', '+BAR', '@@', ' baz', '-qux', '+QUX');
      expect(written(result, '/w/m.txt')).to.equal('foo\nBAR\nbaz\nQUX\n');
    });

    it('uses an @@ line to skip ahead before looking for the hunk', async () => {
      const file = 'def a():\n    return 1\ndef b():\n    return 1\n';
      const result = await planned({ '/w/f.py': file }, '*** Update File: f.py', '@@ def b():', '-    return 1', '+    return 2');
      expect(written(result, '/w/f.py')).to.equal('def a():\n    return 1\ndef b():\n    return 2\n');
    });

    it('inserts a hunk of only added lines after its @@ line, or at the end without one', async () => {
      const file = 'class A:\n    pass\nclass B:\n    pass\n';
      expect(written(await planned({ '/w/c.py': file }, '*** Update File: c.py', '@@ class A:', '+    x = 1'), '/w/c.py'))
        .to.equal('class A:\n    x = 1\n    pass\nclass B:\n    pass\n');
      expect(written(await planned({ '/w/c.py': file }, '*** Update File: c.py', '@@', '+# end'), '/w/c.py'))
        .to.equal(`${file}# end\n`);
    });

    it('anchors an End of File hunk at the end when its lines also occur earlier', async () => {
      const result = await planned({ '/w/t.txt': 'x\ny\nx\ny\n' }, '*** Update File: t.txt', '@@', ' x', '-y', '+z', '*** End of File');
      expect(written(result, '/w/t.txt')).to.equal('x\ny\nx\nz\n');
    });

    it('finds hunks despite drifted whitespace and typographic punctuation, keeping the file\'s unchanged lines', async () => {
      const file = 'def greet():  \n\tmsg = \u201Chi\u201D \u2014 ok\n    return msg\n';
      const result = await planned({ '/w/g.py': file }, '*** Update File: g.py', '@@', ' def greet():', '-    msg = "hi" - ok', '+    msg = "hello"', '     return msg');
      expect(written(result, '/w/g.py')).to.equal('def greet():  \n    msg = "hello"\n    return msg\n');
    });

    it('ignores a blank line after the last line of a hunk when the file has none there', async () => {
      const result = await planned({ '/w/e.txt': 'a\nold\n' }, '*** Update File: e.txt', '@@', ' a', '-old', '+new', '');
      expect(written(result, '/w/e.txt')).to.equal('a\nnew\n');
    });

    it('keeps CRLF line ends of a CRLF file', async () => {
      const result = await planned({ '/w/win.txt': 'a\r\nb\r\n' }, '*** Update File: win.txt', '@@', ' a', '-b', '+c');
      expect(written(result, '/w/win.txt')).to.equal('a\r\nc\r\n');
    });

    it('lets later operations see earlier ones: add then update, delete then add', async () => {
      const result = await planned(
        { '/w/d.txt': 'old\n' },
        '*** Add File: n.txt', '+one', '*** Update File: n.txt', '@@', '-one', '+two',
        '*** Delete File: d.txt', '*** Add File: d.txt', '+again',
      );
      expect(written(result, '/w/n.txt')).to.equal('two\n');
      expect(written(result, '/w/d.txt')).to.equal('again\n');
      expect(result.files.map((f) => [f.type, f.before])).to.deep.equal([['add', undefined], ['update', 'one\n'], ['delete', 'old\n'], ['add', undefined]]);
    });

    it('replaces an existing file on add and an existing destination on move, remembering what they held', async () => {
      const result = await planned({ '/w/dup.txt': 'was\n', '/w/a.txt': 'a\n', '/w/b.txt': 'b\n' },
        '*** Add File: dup.txt', '+now', '*** Update File: a.txt', '*** Move to: b.txt', '@@', '-a', '+A');
      expect(result.files[0]).to.deep.include({ type: 'add', before: 'was\n', after: 'now\n' });
      expect(result.files[1]).to.deep.include({ type: 'update', movePath: '/w/b.txt', destinationBefore: 'b\n', after: 'A\n' });
    });
  });

  describe('errors the model reads', () => {
    it('refuses to update or delete a file that does not exist', async () => {
      expect(await failed({}, '*** Update File: missing.txt', '@@', '-a', '+b')).to.deep.equal({
        kind: 'plan', line: 2,
        message: "Cannot update missing.txt: /w/missing.txt does not exist. Use '*** Add File: missing.txt' to create it.",
      });
      expect(await failed({}, '*** Add File: ok.txt', '+x', '*** Delete File: gone.txt')).to.deep.equal({
        kind: 'plan', line: 4, message: 'Cannot delete gone.txt: /w/gone.txt does not exist.',
      });
    });

    it('names the hunk and quotes its lines when they are not in the file', async () => {
      const error = await failed({ '/w/m.txt': 'line1\nline2\n' }, '*** Update File: m.txt', '@@', ' line1', '-missing', '+x');
      expect(error.line).to.equal(2);
      expect(error.message).to.equal(
        'Could not find the lines of hunk 1 (patch line 3) of m.txt:\nline1\nmissing\n' +
        "The context and '-' lines must match the file's current content; read the file again and resend the patch.",
      );
    });

    it('names an @@ line that is not in the file', async () => {
      const error = await failed({ '/w/m.txt': 'a\n' }, '*** Update File: m.txt', '@@ def nowhere():', '-a', '+b');
      expect(error.message).to.contain("Could not find the line 'def nowhere():' named by the '@@' header of hunk 1 (patch line 3) of m.txt");
    });

    it('looks for each hunk after the previous one', async () => {
      const error = await failed({ '/w/o.txt': 'a\nb\n' }, '*** Update File: o.txt', '@@', '-b', '+B', '@@', '-a', '+A');
      expect(error.message).to.contain('hunk 2 (patch line 6)');
    });

    it('reports a file it cannot read', async () => {
      const patch = parsePatch('*** Begin Patch\n*** Delete File: dir\n*** End Patch');
      if (E.isLeft(patch)) throw new Error(patch.left.message);
      const failing: PatchReader = { read: async () => Promise.reject(new Error('EISDIR: illegal operation on a directory')) };
      expect(await planPatch(patch.right, failing, CWD)).to.deep.equal(E.left({
        kind: 'plan', line: 2, message: 'Failed to read /w/dir: EISDIR: illegal operation on a directory',
      }));
    });
  });

  it('refuses a relative cwd, which would make the result depend on the process', async () => {
    const patch = parsePatch('*** Begin Patch\n*** Delete File: x\n*** End Patch');
    if (E.isLeft(patch)) throw new Error(patch.left.message);
    let error: unknown;
    await planPatch(patch.right, readerOf({}), 'relative').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
  });
});
