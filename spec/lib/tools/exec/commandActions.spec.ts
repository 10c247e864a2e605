import { expect } from 'chai';
import { commandActions, shellScriptOf } from '../../../../lib/tools/exec/commandActions.js';

const bash = (script: string) => commandActions(['/bin/bash', '-lc', script], '/proj');

describe('commandActions', () => {
  it('matches the reference on its fixture command: a leading echo is dropped, the rest is unknown', () => {
    expect(bash('echo one; sleep 0.3; touch made-by-harness.txt; echo two')).to.deep.equal([
      { type: 'unknown', command: 'sleep 0.3' },
      { type: 'unknown', command: 'touch made-by-harness.txt' },
      { type: 'unknown', command: 'echo two' },
    ]);
  });

  it('shows an unknown single command shell-quoted', () => {
    expect(bash("python3 -c 'print(1)'")).to.deep.equal([{ type: 'unknown', command: "python3 -c 'print(1)'" }]);
  });

  it('reads files with cat, head/tail -n, sed -n and nl, resolving the path against cwd', () => {
    expect(bash('cat README.md')).to.deep.equal([{ type: 'read', command: 'cat README.md', name: 'README.md', path: '/proj/README.md' }]);
    expect(bash('head -n 50 src/a.ts')).to.deep.equal([{ type: 'read', command: 'head -n 50 src/a.ts', name: 'a.ts', path: '/proj/src/a.ts' }]);
    expect(bash('tail -n+10 /var/log/x.log')).to.deep.equal([{ type: 'read', command: 'tail -n+10 /var/log/x.log', name: 'x.log', path: '/var/log/x.log' }]);
    expect(bash("sed -n '10,40p' lib/b.ts")).to.deep.equal([{ type: 'read', command: 'sed -n 10,40p lib/b.ts', name: 'b.ts', path: '/proj/lib/b.ts' }]);
    expect(bash('nl -ba c.ts')).to.deep.equal([{ type: 'read', command: 'nl -ba c.ts', name: 'c.ts', path: '/proj/c.ts' }]);
  });

  it('follows cd for later paths and drops the cd itself', () => {
    expect(bash('cd lib && cat x.ts')).to.deep.equal([{ type: 'read', command: 'cat x.ts', name: 'x.ts', path: '/proj/lib/x.ts' }]);
  });

  it('lists files with ls, tree, rg --files, git ls-files and find without a name test', () => {
    expect(bash('ls -la src')).to.deep.equal([{ type: 'listFiles', command: 'ls -la src', path: 'src' }]);
    expect(bash('ls')).to.deep.equal([{ type: 'listFiles', command: 'ls', path: null }]);
    expect(bash('tree -L 2')).to.deep.equal([{ type: 'listFiles', command: 'tree -L 2', path: null }]);
    expect(bash('rg --files lib')).to.deep.equal([{ type: 'listFiles', command: 'rg --files lib', path: 'lib' }]);
    expect(bash('git ls-files')).to.deep.equal([{ type: 'listFiles', command: 'git ls-files', path: null }]);
    expect(bash('find . -type f')).to.deep.equal([{ type: 'listFiles', command: 'find . -type f', path: '.' }]);
  });

  it('searches with rg, grep, git grep, fd and find -name', () => {
    expect(bash("rg -n 'fn main' src")).to.deep.equal([{ type: 'search', command: "rg -n 'fn main' src", query: 'fn main', path: 'src' }]);
    expect(bash('rg -g "*.ts" -C 2 TODO')).to.deep.equal([{ type: 'search', command: "rg -g '*.ts' -C 2 TODO", query: 'TODO', path: null }]);
    expect(bash('grep -rn -e needle lib')).to.deep.equal([{ type: 'search', command: 'grep -rn -e needle lib', query: 'needle', path: 'lib' }]);
    expect(bash('git grep foo')).to.deep.equal([{ type: 'search', command: 'git grep foo', query: 'foo', path: null }]);
    expect(bash('fd spec lib')).to.deep.equal([{ type: 'search', command: 'fd spec lib', query: 'spec', path: 'lib' }]);
    expect(bash("find src -name '*.rs'")).to.deep.equal([{ type: 'search', command: "find src -name '*.rs'", query: '*.rs', path: 'src' }]);
  });

  it('drops formatting stages of a pipeline and keeps what they format', () => {
    expect(bash('rg -l foo | head -n 5 | wc -l')).to.deep.equal([{ type: 'search', command: 'rg -l foo', query: 'foo', path: null }]);
    expect(bash('cat a.txt | sort | uniq')).to.deep.equal([{ type: 'read', command: 'cat a.txt', name: 'a.txt', path: '/proj/a.txt' }]);
    expect(bash('yes | npm init')).to.deep.equal([{ type: 'unknown', command: 'npm init' }]);
  });

  it('keeps a formatter that is the whole command, and a head that reads a file', () => {
    expect(bash('wc -l a.txt')).to.deep.equal([{ type: 'unknown', command: 'wc -l a.txt' }]);
    expect(bash('ls | head -n 3 notes.txt')).to.deep.equal([
      { type: 'listFiles', command: 'ls', path: null },
      { type: 'read', command: 'head -n 3 notes.txt', name: 'notes.txt', path: '/proj/notes.txt' },
    ]);
  });

  it('drops `|| true` and collapses repeats', () => {
    expect(bash('cat a || true')).to.deep.equal([{ type: 'read', command: 'cat a', name: 'a', path: '/proj/a' }]);
    expect(bash('ls; ls')).to.deep.equal([{ type: 'listFiles', command: 'ls', path: null }]);
  });

  it('shows a script it cannot read as one unknown action', () => {
    expect(bash('for f in *.ts; do wc -l "$f"; done')).to.deep.equal([{ type: 'unknown', command: 'for f in *.ts; do wc -l "$f"; done' }]);
    expect(bash('cat a.txt > b.txt')).to.deep.equal([{ type: 'unknown', command: 'cat a.txt > b.txt' }]);
  });

  it('reads a plain argv (the shell tool) as one command', () => {
    expect(commandActions(['cat', 'a b.txt'], '/proj')).to.deep.equal([{ type: 'read', command: "cat 'a b.txt'", name: 'a b.txt', path: '/proj/a b.txt' }]);
    expect(commandActions(['bash', '-c', 'ls && cat x'], '/proj')).to.deep.equal([
      { type: 'listFiles', command: 'ls', path: null },
      { type: 'read', command: 'cat x', name: 'x', path: '/proj/x' },
    ]);
  });
});

describe('shellScriptOf', () => {
  it('finds the script of `<shell> -c|-lc <script>` only', () => {
    expect(shellScriptOf(['/usr/bin/zsh', '-lc', 'ls'])).to.equal('ls');
    expect(shellScriptOf(['sh', '-c', 'ls'])).to.equal('ls');
    expect(shellScriptOf(['python3', '-c', 'print(1)'])).to.equal(null);
    expect(shellScriptOf(['bash', '-lc'])).to.equal(null);
  });
});
