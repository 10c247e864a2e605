import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { planExecCommand, planShellCall } from '../../../../lib/tools/exec/plans.js';

const right = <A>(either: E.Either<string, A>): A => {
  if (E.isLeft(either)) throw new Error(either.left);
  return either.right;
};

describe('planExecCommand', () => {
  const context = { cwd: '/proj', defaultShell: '/bin/bash' };

  it("runs cmd through the user's login shell in the turn's cwd, with the reference's defaults", () => {
    const plan = right(planExecCommand('{"cmd":"echo one; echo two"}', context));
    expect(plan).to.deep.equal({
      argv: ['/bin/bash', '-lc', 'echo one; echo two'],
      command: "/bin/bash -lc 'echo one; echo two'",
      cwd: '/proj',
      commandActions: [{ type: 'unknown', command: 'echo two' }],
      escalation: { requested: false, justification: null, prefixRule: null },
      tty: false,
      yieldTimeMs: 10_000,
      maxOutputTokens: 10_000,
    });
  });

  it('honours shell, login, workdir, tty and escalation arguments, and clamps the yield time', () => {
    const plan = right(
      planExecCommand(
        {
          cmd: 'ls',
          shell: '/bin/zsh',
          login: false,
          workdir: 'sub',
          tty: true,
          yield_time_ms: 90_000,
          max_output_tokens: 50,
          sandbox_permissions: 'require_escalated',
          justification: 'Allow listing?',
          prefix_rule: ['ls'],
        },
        context,
      ),
    );
    expect(plan).to.deep.include({ argv: ['/bin/zsh', '-c', 'ls'], cwd: '/proj/sub', tty: true, yieldTimeMs: 30_000, maxOutputTokens: 50 });
    expect(plan.escalation).to.deep.equal({ requested: true, justification: 'Allow listing?', prefixRule: ['ls'] });
    expect(right(planExecCommand({ cmd: 'ls', yield_time_ms: 1, workdir: null }, context))).to.include({ yieldTimeMs: 250, cwd: '/proj' });
  });

  it('answers the model with the bad field when arguments do not decode', () => {
    expect(planExecCommand('{"cmd": 3}', context)).to.deep.equal(E.left('failed to parse function arguments: arguments.cmd: expected a string, got 3'));
    expect(planExecCommand('{not json', context)).to.satisfy((result: E.Either<string, unknown>) => E.isLeft(result) && result.left.startsWith('failed to parse function arguments: '));
  });
});

describe('planShellCall', () => {
  it('keeps the argv, resolves workdir, and defaults the timeout to 10 s', () => {
    expect(right(planShellCall({ command: ['cat', 'a.txt'], workdir: '/other' }, { cwd: '/proj' }))).to.deep.equal({
      argv: ['cat', 'a.txt'],
      command: 'cat a.txt',
      cwd: '/other',
      commandActions: [{ type: 'read', command: 'cat a.txt', name: 'a.txt', path: '/other/a.txt' }],
      escalation: { requested: false, justification: null, prefixRule: null },
      timeoutMs: 10_000,
    });
  });

  it('refuses an empty command', () => {
    expect(planShellCall({ command: [] }, { cwd: '/proj' })).to.deep.equal(E.left('command must not be empty'));
  });
});
