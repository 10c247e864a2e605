import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxPolicy } from '../../../../lib/protocol/v2/common.js';
import { probeBwrap } from '../../../../lib/sandbox/bwrap.js';
import { findExecutable, nodeFsView } from '../../../../lib/sandbox/fsView.js';
import { createSandbox } from '../../../../lib/sandbox/sandbox.js';
import { MAX_AGGREGATED_OUTPUT, type ExecEvent } from '../../../../lib/tools/exec/events.js';
import { planShellCall } from '../../../../lib/tools/exec/plans.js';
import { runShellTool, type ShellToolDeps } from '../../../../lib/tools/exec/shellTool.js';
import { eventsOf, testEnv } from './support.js';

const fullAccess: SandboxPolicy = { type: 'dangerFullAccess' };

const shell = (args: Record<string, unknown>, deps: Partial<ShellToolDeps> = {}, policy: SandboxPolicy = fullAccess, cwd = '/'): Promise<ExecEvent[]> => {
  const plan = planShellCall(args, { cwd });
  if (E.isLeft(plan)) throw new Error(plan.left);
  return eventsOf(runShellTool(plan.right, { callId: 'call_1', sandboxPolicy: policy }, { sandbox: createSandbox(), env: testEnv(), ...deps }));
};
const byType = <T extends ExecEvent['type']>(events: ExecEvent[], type: T) =>
  events.filter((event): event is Extract<ExecEvent, { type: T }> => event.type === type);

describe('runShellTool', () => {
  it('runs an argv and reports begin, deltas, end and a JSON result', async () => {
    const events = await shell({ command: ['sh', '-c', 'echo hello; echo oops >&2'] });
    expect(events[0]).to.deep.equal({
      type: 'begin',
      itemId: 'call_1',
      processId: null,
      command: "sh -c 'echo hello; echo oops >&2'",
      cwd: '/',
      commandActions: [{ type: 'unknown', command: 'echo hello; echo oops >&2' }],
    });
    const [end] = byType(events, 'end');
    const deltas = byType(events, 'outputDelta').map((event) => event.delta).join('');
    expect(end).to.deep.include({ status: 'completed', exitCode: 0, timedOut: false, sandboxDenied: false, aggregatedOutput: deltas });
    const [result] = byType(events, 'toolOutput');
    expect(result).to.include({ callId: 'call_1', success: true });
    const json = JSON.parse(result!.output) as { output: string; metadata: { exit_code: number; duration_seconds: number } };
    expect(json.output).to.equal(deltas);
    expect(json.metadata.exit_code).to.equal(0);
    expect(events.at(-1)?.type).to.equal('toolOutput');
  });

  it('answers in plain text when asked to', async () => {
    const [result] = byType(await shell({ command: ['sh', '-c', 'exit 2'] }, { format: 'text' }), 'toolOutput');
    expect(result?.output).to.match(/^Exit code: 2\nWall time: [\d.]+ seconds\nOutput:\n$/);
    expect(result?.success).to.equal(false);
  });

  it('kills the command at timeout_ms and says so', async () => {
    const events = await shell({ command: ['sh', '-c', 'echo started; sleep 30'], timeout_ms: 200 });
    expect(byType(events, 'end')[0]).to.deep.include({ status: 'failed', exitCode: 124, timedOut: true });
    const json = JSON.parse(byType(events, 'toolOutput')[0]!.output) as { output: string; metadata: { exit_code: number } };
    expect(json.output).to.equal('command timed out after 200 milliseconds\nstarted\n');
    expect(json.metadata.exit_code).to.equal(124);
  });

  it('streams every byte of a huge output but bounds what it keeps and what the model reads', async () => {
    const events = await shell({ command: ['sh', '-c', "head -c 3000000 /dev/zero | tr '\\0' x"] });
    expect(byType(events, 'outputDelta').reduce((sum, event) => sum + event.delta.length, 0)).to.equal(3_000_000);
    const [end] = byType(events, 'end');
    expect(end!.aggregatedOutput.length).to.be.lessThan(MAX_AGGREGATED_OUTPUT + 100);
    expect(end!.aggregatedOutput).to.match(/^x+\n…\d+ chars truncated…\nx+$/);
    const model = byType(events, 'toolOutput')[0]!.output;
    expect(model.length).to.be.lessThan(50_000);
    expect(model).to.match(/tokens truncated/);
  });

  it('fails the item and tells the model when the program does not exist', async () => {
    const events = await shell({ command: ['/nonexistent/program'] });
    expect(events.map((event) => event.type)).to.deep.equal(['begin', 'end', 'toolOutput']);
    expect(events[1]).to.deep.include({ status: 'failed', exitCode: null });
    expect(byType(events, 'toolOutput')[0]).to.deep.include({ success: false });
  });

  it('refuses a sandboxed command when no sandbox can be built', async () => {
    const events = await shell({ command: ['touch', 'x'] }, { sandbox: createSandbox({ env: { PATH: '/nonexistent' } }) }, { type: 'readOnly' });
    expect(events.map((event) => event.type)).to.deep.equal(['begin', 'end', 'toolOutput']);
    expect(byType(events, 'toolOutput')[0]?.output).to.match(/^Refused to run the command: the sandbox policy `readOnly` requires a sandbox/);
  });

  describe('inside bubblewrap', function () {
    let root: string;
    before(async function () {
      const bwrap = findExecutable('bwrap', process.env['PATH'], nodeFsView);
      if (bwrap === null || !(await probeBwrap(bwrap)).ok) this.skip();
      root = mkdtempSync(join(tmpdir(), 'rxagent-shell-'));
    });
    after(() => {
      if (root !== undefined) rmSync(root, { recursive: true, force: true });
    });

    it('flags a write the sandbox denied, so on-failure can offer a retry without it', async () => {
      const policy: SandboxPolicy = { type: 'workspaceWrite', excludeSlashTmp: true, excludeTmpdirEnvVar: true };
      const events = await shell({ command: ['sh', '-c', 'echo ok > here.txt && echo no > /denied.txt'] }, {}, policy, root);
      expect(byType(events, 'end')[0]).to.deep.include({ status: 'failed', sandboxDenied: true });
    });
  });
});
