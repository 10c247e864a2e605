import { expect } from 'chai';
import { isLikelySandboxDenied } from '../../../lib/sandbox/denial.js';

describe('isLikelySandboxDenied', () => {
  it('blames the sandbox for a failed sandboxed write to a read-only file system', () => {
    expect(isLikelySandboxDenied({ sandboxed: true, exitCode: 1, output: "touch: cannot touch '/etc/x': Read-only file system\n" })).to.equal(true);
  });

  it('blames it for permission and network errors', () => {
    for (const output of ['mkdir: Operation not permitted', 'bash: /root/x: Permission denied', 'connect: Network is unreachable', 'curl: (6) Could not resolve host: example.com']) {
      expect(isLikelySandboxDenied({ sandboxed: true, exitCode: 2, output }), output).to.equal(true);
    }
  });

  it('never blames it for a success, an unsandboxed run, or a run that never happened', () => {
    expect(isLikelySandboxDenied({ sandboxed: true, exitCode: 0, output: 'Permission denied' })).to.equal(false);
    expect(isLikelySandboxDenied({ sandboxed: false, exitCode: 1, output: 'Read-only file system' })).to.equal(false);
    expect(isLikelySandboxDenied({ sandboxed: true, exitCode: null, output: 'Read-only file system' })).to.equal(false);
  });

  it('leaves ordinary failures to the command', () => {
    expect(isLikelySandboxDenied({ sandboxed: true, exitCode: 127, output: 'sh: 1: nope: not found\n' })).to.equal(false);
    expect(isLikelySandboxDenied({ sandboxed: true, exitCode: 1, output: 'AssertionError: expected 1 to equal 2\n' })).to.equal(false);
  });
});
