import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from '../support/rpcClient.js';
import { cleanupTurnHarnesses, errorOf, resultOf, startThread, startTurn, startTurnHarness, text, turnCompleted } from '../support/turnHarness.js';

const FULL_ACCESS = { approvalPolicy: 'never', sandbox: 'danger-full-access' };
const itemOf = (m: Message): { type: string; id: string; status: string; [key: string]: unknown } => (m.params as { item: never }).item;
const isGone = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

describe('thread/backgroundTerminals/clean (stdio, mock model)', () => {
  afterEach(cleanupTurnHarnesses);

  it('kills a command exec_command left running; its item then completes failed', async () => {
    const h = await startTurnHarness(
      [
        {
          output: [
            {
              type: 'function_call',
              name: 'exec_command',
              callId: 'call-bg',
              arguments: JSON.stringify({ cmd: 'echo $$ > shell.pid; echo started; exec sleep 30', yield_time_ms: 300 }),
            },
          ],
        },
        { output: [{ type: 'message', id: 'msg-1', text: 'Left it running.' }] },
      ],
      { capabilities: { experimentalApi: true } },
    );
    const { threadId } = await startThread(h, FULL_ACCESS);
    const idle = await h.client.request('thread/backgroundTerminals/clean', { threadId });
    expect(resultOf(idle)).to.deep.equal({});
    const { turnId } = await startTurn(h, threadId, [text('Start something long')]);
    const completed = await turnCompleted(h, turnId);
    const pid = Number(readFileSync(join(h.cwd, 'shell.pid'), 'utf8'));
    expect(isGone(pid)).to.equal(false);
    const isCommandDone = (m: Message): boolean => m.method === 'item/completed' && itemOf(m).id === 'call-bg';
    expect(h.client.received.some(isCommandDone)).to.equal(false);

    const answer = await h.client.request('thread/backgroundTerminals/clean', { threadId });
    expect(resultOf(answer)).to.deep.equal({});
    const done = await h.client.waitFor(isCommandDone);
    expect(h.client.received.indexOf(answer)).to.be.lessThan(h.client.received.indexOf(done));
    expect(h.client.received.indexOf(completed)).to.be.lessThan(h.client.received.indexOf(done));
    expect(done.params).to.deep.include({ threadId, turnId });
    expect(itemOf(done)).to.include({ type: 'commandExecution', status: 'failed', aggregatedOutput: 'started\n', exitCode: 137 });
    expect(isGone(pid)).to.equal(true);

    const again = await h.client.request('thread/backgroundTerminals/clean', { threadId });
    expect(resultOf(again)).to.deep.equal({});
    expect(h.client.received.filter(isCommandDone)).to.have.length(1);
  });

  it('answers an unknown thread, a bad id and a client without experimentalApi with -32600', async () => {
    const h = await startTurnHarness([], { capabilities: { experimentalApi: true } });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(errorOf(await h.client.request('thread/backgroundTerminals/clean', { threadId: unknown }))).to.deep.equal({
      code: -32600,
      message: `thread not found: ${unknown}`,
      data: { kind: 'threadNotFound' },
    });
    expect(errorOf(await h.client.request('thread/backgroundTerminals/clean', { threadId: 'nope' }))).to.include({ code: -32600 });
    const plain = await startTurnHarness([]);
    const { threadId } = await startThread(plain, FULL_ACCESS);
    expect(errorOf(await plain.client.request('thread/backgroundTerminals/clean', { threadId }))).to.include({
      code: -32600,
      message: 'thread/backgroundTerminals/clean requires experimentalApi capability',
    });
  });
});
