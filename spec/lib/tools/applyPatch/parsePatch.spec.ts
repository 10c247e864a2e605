import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type { Patch, PatchError } from '../../../../lib/tools/applyPatch/patch.js';
import { parsePatch } from '../../../../lib/tools/applyPatch/parsePatch.js';

const parsed = (text: string): Patch => {
  const result = parsePatch(text);
  if (E.isLeft(result)) throw new Error(`expected a patch, got: ${result.left.message}`);
  return result.right;
};

const failure = (text: string): PatchError => {
  const result = parsePatch(text);
  if (E.isRight(result)) throw new Error('expected a parse error');
  return result.left;
};

const wrap = (...body: string[]): string => ['*** Begin Patch', ...body, '*** End Patch'].join('\n');

describe('parsePatch', () => {
  describe('operations', () => {
    it('reads add, delete and update-with-move in patch order', () => {
      const patch = parsed(wrap(
        '*** Add File: path/add.py', '+abc', '+', '+def',
        '*** Delete File: path/delete.py',
        '*** Update File: path/update.py', '*** Move to: path/moved.py', '@@ def f():', '-    pass', '+    return 123',
      ));
      expect(patch.operations).to.deep.equal([
        { type: 'add', path: 'path/add.py', contents: 'abc\n\ndef\n', line: 2 },
        { type: 'delete', path: 'path/delete.py', line: 6 },
        {
          type: 'update', path: 'path/update.py', movePath: 'path/moved.py', line: 7,
          chunks: [{ context: 'def f():', oldLines: ['    pass'], newLines: ['    return 123'], isEndOfFile: false, line: 9 }],
        },
      ]);
      expect(patch.workdir).to.equal(undefined);
    });

    it('reads an add file without lines as an empty file', () => {
      expect(parsed(wrap('*** Add File: empty.txt')).operations).to.deep.equal([
        { type: 'add', path: 'empty.txt', contents: '', line: 2 },
      ]);
    });

    it('splits an update into one chunk per @@ and keeps context, removed and added lines apart', () => {
      const [op] = parsed(wrap(
        '*** Update File: multi.txt',
        '@@', ' foo', '-bar', '+BAR',
        '@@ class Baz', ' baz', '', '-qux', '+QUX',
      )).operations;
      expect(op).to.deep.include({ type: 'update', movePath: undefined });
      expect(op!.type === 'update' && op!.chunks).to.deep.equal([
        { context: undefined, oldLines: ['foo', 'bar'], newLines: ['foo', 'BAR'], isEndOfFile: false, line: 3 },
        // A line with no prefix at all is an empty unchanged line.
        { context: 'class Baz', oldLines: ['baz', '', 'qux'], newLines: ['baz', '', 'QUX'], isEndOfFile: false, line: 7 },
      ]);
    });

    it('marks a chunk closed by *** End of File', () => {
      const [op] = parsed(wrap('*** Update File: tail.txt', '@@', ' first', '-second', '+second updated', '*** End of File')).operations;
      expect(op!.type === 'update' && op!.chunks[0]).to.deep.include({ isEndOfFile: true, oldLines: ['first', 'second'] });
    });

    it('accepts a first hunk without @@ and a git-style header whose numbers it ignores', () => {
      const [a, b] = parsed(wrap(
        '*** Update File: a.py', ' import foo', '+bar',
        '*** Update File: b.py', '@@ -10,3 +10,4 @@ fn main()', ' x', '+y',
      )).operations;
      expect(a!.type === 'update' && a!.chunks[0]).to.deep.include({ context: undefined, oldLines: ['import foo'], newLines: ['import foo', 'bar'] });
      expect(b!.type === 'update' && b!.chunks[0]).to.deep.include({ context: 'fn main()', oldLines: ['x'] });
    });

    it('lets an update be followed by another operation and skips blank lines between sections', () => {
      const ops = parsed(wrap('*** Update File: file.py', '@@', '+line', '', '*** Add File: other.py', '+content', '', '*** Delete File: x')).operations;
      expect(ops.map((op) => op.type)).to.deep.equal(['update', 'add', 'delete']);
    });
  });

  describe('leniency', () => {
    it('tolerates surrounding blank lines, padded markers and CRLF line ends', () => {
      const text = '\n\n  *** Begin Patch \r\n  *** Update File: foo.txt\r\n@@\r\n-old\r\n+new\r\n *** End Patch\n\n';
      const patch = parsed(text);
      expect(patch.operations).to.deep.equal([{
        type: 'update', path: 'foo.txt', movePath: undefined, line: 4,
        chunks: [{ context: undefined, oldLines: ['old'], newLines: ['new'], isEndOfFile: false, line: 5 }],
      }]);
      expect(patch.text).to.equal('  *** Begin Patch \n  *** Update File: foo.txt\n@@\n-old\n+new\n *** End Patch');
    });

    it("unwraps a heredoc as a model sends it for a shell call (apply_patch <<'EOF' … EOF)", () => {
      for (const opener of ["apply_patch <<'EOF'", '<<EOF', 'applypatch <<"EOF"', 'apply_patch<<EOF']) {
        const patch = parsed(`${opener}\n*** Begin Patch\n*** Add File: foo\n+hi\n*** End Patch\nEOF\n`);
        expect(patch.operations, opener).to.deep.equal([{ type: 'add', path: 'foo', contents: 'hi\n', line: 3 }]);
        expect(patch.text).to.equal('*** Begin Patch\n*** Add File: foo\n+hi\n*** End Patch');
      }
    });

    it('takes the directory of a `cd <dir> &&` before the heredoc as the workdir', () => {
      expect(parsed("cd 'sub dir' && apply_patch <<'PATCH'\n*** Begin Patch\n*** Delete File: x\n*** End Patch\nPATCH").workdir).to.equal('sub dir');
      expect(parsed('cd pkg && apply_patch <<EOF\n*** Begin Patch\n*** Delete File: x\n*** End Patch\nEOF').workdir).to.equal('pkg');
    });
  });

  describe('errors', () => {
    it('refuses text that does not start with *** Begin Patch, naming the line', () => {
      expect(failure('bad')).to.deep.equal({ kind: 'parse', line: 1, message: "line 1: a patch must start with '*** Begin Patch', got 'bad'" });
      expect(failure('\n\nhello\n*** End Patch').line).to.equal(3);
    });

    it('refuses a patch without *** End Patch', () => {
      expect(failure('*** Begin Patch\n*** Add File: a\n+x')).to.deep.include({ line: 3, message: "line 3: a patch must end with '*** End Patch', got '+x'" });
      expect(failure('*** Begin Patch').message).to.contain("must end with '*** End Patch'");
    });

    it('refuses a heredoc whose closing tag is missing', () => {
      expect(failure("apply_patch <<'EOF'\n*** Begin Patch\n*** Delete File: x\n*** End Patch").message).to.contain("must start with '*** Begin Patch'");
    });

    it('refuses an empty input and a patch without operations', () => {
      expect(failure('  \n ').message).to.contain('the patch is empty');
      expect(failure(wrap())).to.deep.include({ line: 2 });
      expect(failure(wrap()).message).to.contain('no file operations');
    });

    it('refuses an unknown section header and lists the valid ones', () => {
      const error = failure(wrap('*** Frobnicate File: foo'));
      expect(error.line).to.equal(2);
      expect(error.message).to.equal(
        "line 2: '*** Frobnicate File: foo' is not a file operation; expected '*** Add File: <path>', '*** Delete File: <path>' or '*** Update File: <path>'",
      );
    });

    it('explains that every line of an added file needs a +', () => {
      const error = failure(wrap('*** Add File: a.txt', '+one', 'two'));
      expect(error.line).to.equal(4);
      expect(error.message).to.contain("every line of an added file starts with '+'");
    });

    it('refuses an update without hunks', () => {
      expect(failure(wrap('*** Update File: test.py'))).to.deep.equal({
        kind: 'parse', line: 2,
        message: "line 2: '*** Update File: test.py' has no hunks; add at least one '@@' hunk with the lines to change",
      });
    });

    it('refuses a hunk line without a valid prefix', () => {
      const error = failure(wrap('*** Update File: a.txt', '@@', ' keep', 'oops'));
      expect(error.line).to.equal(5);
      expect(error.message).to.contain("'oops' in 'a.txt' is not a hunk line");
      expect(failure(wrap('*** Update File: a.txt', 'oops')).line).to.equal(3);
    });

    it('refuses an empty hunk and an End of File marker without lines', () => {
      expect(failure(wrap('*** Update File: a.txt', '@@', '@@', '+x'))).to.deep.include({ line: 3 });
      expect(failure(wrap('*** Update File: a.txt', '@@'))).to.deep.include({ line: 3 });
      expect(failure(wrap('*** Update File: a.txt', '@@', '*** End of File')).message).to.contain('this hunk has none');
    });

    it('refuses a stray Move to or End of File line with a pointed message', () => {
      expect(failure(wrap('*** Delete File: a', '*** Move to: b')).message).to.contain("'*** Move to:' must directly follow");
      expect(failure(wrap('*** Add File: a', '+x', '*** End of File')).message).to.contain('must directly follow the last line of a hunk');
    });

    it('quotes at most the start of a very long line', () => {
      const error = failure(`${'x'.repeat(5000)}\n*** End Patch`);
      expect(error.message).to.equal(`line 1: a patch must start with '*** Begin Patch', got '${'x'.repeat(120)}…'`);
    });

    it('refuses a header without a path', () => {
      expect(failure(wrap('*** Delete File:   '))).to.deep.include({ line: 2, message: "line 2: '*** Delete File:' names no file" });
    });
  });
});
