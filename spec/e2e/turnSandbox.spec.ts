import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTurnHarnesses, startThread, startTurn, startTurnHarness, text, turnCompleted, type TurnHarness } from '../support/turnHarness.js';
import type { Message } from '../support/rpcClient.js';

const hasBwrap = ['/usr/bin/bwrap', '/bin/bwrap'].some((p) => existsSync(p));

const execCall = (cmd: string) => ({
  output: [{ type: 'function_call' as const, name: 'exec_command', callId: 'call-sbx', arguments: JSON.stringify({ cmd, yield_time_ms: 5000 }) }],
});

/** Runs one exec_command turn under workspace-write with approvals off; returns the completed command item. */
const runSandboxed = async (h: TurnHarness): Promise<{ aggregatedOutput: string | null; exitCode: number | null; status: string }> => {
  const { threadId } = await startThread(h, { cwd: h.cwd, sandbox: 'workspace-write', approvalPolicy: 'never' });
  const turn = await startTurn(h, threadId, [text('run it')]);
  const completed = await h.client.waitFor(
    (m: Message) => m.method === 'item/completed' && (m.params as { item: { type: string } }).item.type === 'commandExecution',
  );
  await turnCompleted(h, turn.turnId);
  return (completed.params as { item: { aggregatedOutput: string | null; exitCode: number | null; status: string } }).item;
};

describe('sandboxed commands (e2e, bubblewrap)', function () {
  before(function () {
    if (!hasBwrap) {
      if (process.env.CI === 'true') throw new Error('bubblewrap (bwrap) is required in CI: .ci/run installs it');
      this.skip();
    }
  });
  afterEach(cleanupTurnHarnesses);

  it('lets a command write inside the workspace but not outside the writable roots', async () => {
    const outside = join('/opt', `rxagent-sandbox-probe-${process.pid}-${Date.now()}`);
    const h = await startTurnHarness([execCall(`touch inside.txt; touch ${outside} && echo wrote-outside || echo refused-outside`), { output: [{ type: 'message', text: 'ok' }] }]);
    const item = await runSandboxed(h);
    expect(existsSync(join(h.cwd, 'inside.txt'))).to.equal(true);
    expect(existsSync(outside)).to.equal(false);
    expect(item.aggregatedOutput).to.contain('refused-outside');
  });

  it('cuts the network unless the policy allows it', async () => {
    const h = await startTurnHarness([]);
    const port = new URL(h.mock.baseUrl).port;
    h.mock.enqueue(execCall(`(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && echo connected || echo blocked`), { output: [{ type: 'message', text: 'ok' }] });
    const item = await runSandboxed(h);
    expect(item.aggregatedOutput).to.contain('blocked');
    expect(item.aggregatedOutput).to.not.contain('connected');
  });
});
