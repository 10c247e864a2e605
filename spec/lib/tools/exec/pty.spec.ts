import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { ptyCommand } from '../../../../lib/tools/exec/pty.js';

describe('ptyCommand', () => {
  it('runs the argv under script with a sized terminal and the user SHELL restored', () => {
    expect(ptyCommand('/usr/bin/script', ['/bin/bash', '-lc', 'tty'], '/bin/bash')).to.deep.equal({
      argv: ['/usr/bin/script', '-qfec', 'stty rows 24 cols 80 2>/dev/null; SHELL=/bin/bash; export SHELL; exec /bin/bash -lc tty', '/dev/null'],
      env: { SHELL: '/bin/sh' },
    });
    expect(ptyCommand('script', ['ls'], undefined).argv[2]).to.equal('stty rows 24 cols 80 2>/dev/null; unset SHELL; exec ls');
  });

  it('gives the command a real terminal', function () {
    const { argv, env } = ptyCommand('script', ['sh', '-c', 'test -t 0 && test -t 1 && stty size && echo "$SHELL"'], '/bin/zsh');
    const result = spawnSync(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8', input: '' });
    if (result.error !== undefined) this.skip(); // no util-linux script here
    expect(result.stdout).to.equal('24 80\r\n/bin/zsh\r\n');
    expect(result.status).to.equal(0);
  });
});
