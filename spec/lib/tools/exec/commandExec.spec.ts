import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type { SandboxPolicy } from '../../../../lib/protocol/v2/common.js';
import { createSandbox } from '../../../../lib/sandbox/sandbox.js';
import { runCommandExec } from '../../../../lib/tools/exec/commandExec.js';
import { testEnv, witness } from './support.js';

const defaults = { cwd: '/', sandboxPolicy: { type: 'dangerFullAccess' } as SandboxPolicy };
const deps = () => ({ sandbox: createSandbox(), env: testEnv() });

describe('runCommandExec', () => {
  it('runs the argv and answers exit code, stdout and stderr apart', async () => {
    const result = await runCommandExec({ command: ['sh', '-c', 'echo out; echo err >&2; exit 4'] }, defaults, deps());
    expect(result).to.deep.equal(E.right({ exitCode: 4, stdout: 'out\n', stderr: 'err\n' }));
  });

  it('runs in cwd resolved against the server cwd', async () => {
    const result = await runCommandExec({ command: ['pwd'], cwd: 'usr' }, defaults, deps());
    expect(result).to.deep.equal(E.right({ exitCode: 0, stdout: '/usr\n', stderr: '' }));
  });

  it('refuses an empty command', async () => {
    expect(await runCommandExec({ command: [] }, defaults, deps())).to.deep.equal(E.left({ kind: 'emptyCommand', message: 'command must not be empty' }));
  });

  it('kills the command at timeoutMs, keeping its output and adding a note', async () => {
    const result = await runCommandExec({ command: ['sh', '-c', 'printf partial; sleep 30'], timeoutMs: 200 }, defaults, deps());
    expect(result).to.deep.equal(E.right({ exitCode: 124, stdout: 'partial', stderr: 'command timed out after 200 milliseconds\n' }));
  });

  it('reports a program that cannot start', async () => {
    const result = await runCommandExec({ command: ['/nonexistent/program'] }, defaults, deps());
    expect(E.isLeft(result) && result.left.kind).to.equal('spawnFailed');
  });

  it('refuses a sandboxed command when no sandbox can be built', async () => {
    const result = await runCommandExec({ command: ['ls'], sandboxPolicy: { type: 'readOnly' } }, defaults, { ...deps(), sandbox: createSandbox({ env: { PATH: '/nonexistent' } }) });
    expect(E.isLeft(result) && result.left.kind).to.equal('sandboxUnavailable');
  });

  it('kills the command when the caller aborts', async () => {
    const holder = witness();
    try {
      const abort = new AbortController();
      const pending = runCommandExec({ command: ['sh', '-c', `exec 3>${holder.path}; sleep 30 & echo ready >&3; wait`], timeoutMs: 60_000 }, defaults, deps(), abort.signal);
      await holder.ready;
      abort.abort();
      await pending;
      await holder.released;
    } finally {
      holder.dispose();
    }
  });
});
