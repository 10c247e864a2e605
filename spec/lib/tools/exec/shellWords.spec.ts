import { expect } from 'chai';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { shellJoin, shellQuote, splitScript } from '../../../../lib/tools/exec/shellWords.js';

describe('shellQuote / shellJoin', () => {
  it('leaves safe words bare and single-quotes the rest', () => {
    expect(shellQuote('ls')).to.equal('ls');
    expect(shellQuote('src/a-b_c.ts')).to.equal('src/a-b_c.ts');
    expect(shellQuote('')).to.equal("''");
    expect(shellQuote('print(1)')).to.equal("'print(1)'");
    expect(shellQuote("it's")).to.equal(`'it'"'"'s'`);
  });

  it("renders the reference's command display", () => {
    expect(shellJoin(['/bin/bash', '-lc', 'echo one; sleep 0.3; touch made-by-harness.txt; echo two'])).to.equal(
      "/bin/bash -lc 'echo one; sleep 0.3; touch made-by-harness.txt; echo two'",
    );
  });

  it('round-trips any argv through a real shell', () => {
    const args = fc.array(fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(args, (argv) => {
        const shown = spawnSync('sh', ['-c', `printf '%s\\0' ${shellJoin(argv)}`], { encoding: 'utf8' }).stdout;
        expect(shown.split('\0').slice(0, -1)).to.deep.equal(argv);
      }),
      { numRuns: 40 },
    );
  });
});

describe('splitScript', () => {
  it('splits on && || ; | and newlines, keeping the connector after each command', () => {
    expect(splitScript("cd src && rg -n 'a b' | head -5; ls\nfalse || true")).to.deep.equal([
      { words: ['cd', 'src'], next: '&&' },
      { words: ['rg', '-n', 'a b'], next: '|' },
      { words: ['head', '-5'], next: ';' },
      { words: ['ls'], next: ';' },
      { words: ['false'], next: '||' },
      { words: ['true'], next: null },
    ]);
  });

  it('removes quotes and backslashes like a shell', () => {
    expect(splitScript(`grep "say \\"hi\\"" a\\ b 'x'"y"z`)).to.deep.equal([{ words: ['grep', 'say "hi"', 'a b', 'xyz'], next: null }]);
  });

  it('tolerates blank lines, a trailing semicolon and a newline after &&', () => {
    expect(splitScript('\nls;\n\npwd &&\n  echo ok;')).to.deep.equal([
      { words: ['ls'], next: ';' },
      { words: ['pwd'], next: '&&' },
      { words: ['echo', 'ok'], next: null },
    ]);
  });

  it('gives up on anything richer than simple commands', () => {
    for (const script of [
      'echo $HOME',
      'echo "$HOME"',
      'echo `date`',
      'ls > out.txt',
      'cat < in.txt',
      '(cd x && ls)',
      '{ ls; }',
      'sleep 1 &',
      'ls # comment',
      'FOO=1 make',
      'if true; then ls; fi',
      "echo 'unterminated",
      'ls &&',
      '| grep x',
      'a && && b',
      'case x in *) ;; esac',
    ]) {
      expect(splitScript(script), script).to.equal(null);
    }
  });
});
