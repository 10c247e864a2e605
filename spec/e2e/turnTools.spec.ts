import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from '../support/rpcClient.js';
import {
  answer,
  between,
  cleanupTurnHarnesses,
  notificationsOf,
  resultOf,
  serverRequest,
  startThread,
  startTurn,
  startTurnHarness,
  text,
  turnCompleted,
  type TurnHarness,
} from '../support/turnHarness.js';

const FULL_ACCESS = { approvalPolicy: 'untrusted', sandbox: 'danger-full-access' };
const execCall = (callId: string, cmd: string) => ({
  type: 'function_call' as const,
  name: 'exec_command',
  callId,
  arguments: JSON.stringify({ cmd, yield_time_ms: 5000 }),
});
const reply = (textValue: string, id = 'msg_reply') => ({ output: [{ type: 'message' as const, id, text: textValue }] });

type Item = { type: string; id: string; status?: string; [key: string]: unknown };
const itemOf = (m: Message): Item => (m.params as { item: Item }).item;
const itemEvents = (messages: readonly Message[], id: string): Message[] =>
  messages.filter((m) => (m.method === 'item/started' || m.method === 'item/completed') && itemOf(m).id === id);
const outputOf = (body: { input: Array<Record<string, unknown>> }, callId: string): Record<string, unknown> | undefined =>
  body.input.find((i) => (i.type === 'function_call_output' || i.type === 'custom_tool_call_output') && i.call_id === callId);

/** Runs a turn whose first model response asks to run `cmd`, and answers its approval with `decision`. */
const approvalTurn = async (cmd: string, decision: unknown, after: object[] = [reply('Done.')]) => {
  const h = await startTurnHarness([{ output: [execCall('call-exec-1', cmd)] }, ...(after as never[])]);
  const { threadId } = await startThread(h, FULL_ACCESS);
  const { response, turnId } = await startTurn(h, threadId, [text('Run the command')]);
  const approval = await serverRequest(h, 'item/commandExecution/requestApproval');
  answer(h, approval, { decision });
  const completed = await turnCompleted(h, turnId);
  return { h, threadId, turnId, response, approval, completed, seen: between(h, response, completed) };
};

describe('turn tools (stdio, mock model)', () => {
  afterEach(cleanupTurnHarnesses);

  describe('command approval (untrusted, danger-full-access)', () => {
    it('accept: requestApproval, then the item with every byte of output, and the output goes back to the model', async () => {
      const { h, threadId, turnId, approval, completed, seen } = await approvalTurn('echo one; sleep 0.3; echo two', 'accept');
      const cwd = h.cwd;
      const command = (approval.params as { command: string }).command;
      expect(command).to.match(/ -lc 'echo one; sleep 0.3; echo two'$/);
      // As in the reference (shell-approval-accept): the leading `echo` is not listed.
      const commandActions = [
        { type: 'unknown', command: 'sleep 0.3' },
        { type: 'unknown', command: 'echo two' },
      ];
      expect(approval.params).to.deep.equal({ threadId, turnId, itemId: 'call-exec-1', reason: null, command, cwd, commandActions, proposedExecpolicyAmendment: ['sleep', '0.3'] });
      const events = itemEvents(seen, 'call-exec-1');
      expect(events.map((m) => [m.method, itemOf(m).status])).to.deep.equal([
        ['item/started', 'inProgress'],
        ['item/completed', 'completed'],
      ]);
      // The approval request precedes the item, as in the reference transcript.
      expect(seen.indexOf(approval)).to.be.lessThan(seen.indexOf(events[0]!));
      const started = itemOf(events[0]!);
      expect(started).to.include({ command, cwd, aggregatedOutput: null, exitCode: null, durationMs: null });
      expect(started.commandActions).to.deep.equal(commandActions);
      expect(started.processId).to.be.a('string');
      const done = itemOf(events[1]!);
      expect(done).to.include({ command, cwd, status: 'completed', aggregatedOutput: 'one\ntwo\n', exitCode: 0 });
      expect(done.durationMs).to.be.a('number');
      const deltas = seen.filter((m) => m.method === 'item/commandExecution/outputDelta');
      expect(deltas.map((m) => (m.params as { delta: string }).delta).join('')).to.equal('one\ntwo\n');
      for (const d of deltas) expect(d.params).to.include({ threadId, turnId, itemId: 'call-exec-1' });
      expect(seen.indexOf(deltas[0]!)).to.be.greaterThan(seen.indexOf(events[0]!));
      expect(seen.indexOf(deltas.at(-1)!)).to.be.lessThan(seen.indexOf(events[1]!));
      expect((completed.params as { turn: { status: string } }).turn.status).to.equal('completed');
      expect(h.mock.requests).to.have.length(2);
      const body = h.mock.requests[1]!.body;
      expect(body.input.at(-2)).to.deep.include({ type: 'function_call', call_id: 'call-exec-1', name: 'exec_command' });
      const output = outputOf(body, 'call-exec-1');
      expect(output).to.not.equal(undefined);
      expect(body.input.at(-1)).to.equal(output);
      expect(output!.output).to.be.a('string').that.contains('Process exited with code 0').and.contains('one\ntwo\n');
    });

    it('decline: exactly one item/completed (declined), nothing runs, and the model is told', async () => {
      const marker = 'declined-marker.txt';
      const { h, seen, completed } = await approvalTurn(`touch ${marker}; echo ran`, 'decline');
      const completions = seen.filter((m) => m.method === 'item/completed' && itemOf(m).id === 'call-exec-1');
      expect(completions).to.have.length(1);
      expect(itemOf(completions[0]!)).to.include({ type: 'commandExecution', status: 'declined', exitCode: null, aggregatedOutput: null, durationMs: null, processId: null });
      expect(seen.some((m) => m.method === 'item/commandExecution/outputDelta')).to.equal(false);
      expect(() => readFileSync(join(h.cwd, marker))).to.throw();
      expect((completed.params as { turn: { status: string } }).turn.status).to.equal('completed');
      expect(outputOf(h.mock.requests[1]!.body, 'call-exec-1')).to.deep.equal({ type: 'function_call_output', call_id: 'call-exec-1', output: 'exec command rejected by user' });
    });

    it('cancel: the item ends declined and the turn ends interrupted, with no further model request', async () => {
      const { h, seen, completed, threadId, turnId } = await approvalTurn('touch cancelled.txt', 'cancel');
      const completions = seen.filter((m) => m.method === 'item/completed' && itemOf(m).id === 'call-exec-1');
      expect(completions.map((m) => itemOf(m).status)).to.deep.equal(['declined']);
      expect(completed.params).to.deep.equal({ threadId, turn: { id: turnId, items: [], status: 'interrupted', error: null } });
      expect(h.mock.requests).to.have.length(1);
    });

    it('acceptForSession: the same command later runs without asking', async () => {
      const h = await startTurnHarness([
        { output: [execCall('call-a', 'sleep 0; echo again')] },
        { output: [execCall('call-b', 'sleep 0; echo again')] },
        reply('Both ran.'),
      ]);
      const { threadId } = await startThread(h, FULL_ACCESS);
      const { turnId } = await startTurn(h, threadId, [text('Twice')]);
      const approval = await serverRequest(h, 'item/commandExecution/requestApproval');
      expect((approval.params as { itemId: string }).itemId).to.equal('call-a');
      answer(h, approval, { decision: 'acceptForSession' });
      await turnCompleted(h, turnId);
      expect(h.client.received.filter((m) => m.method === 'item/commandExecution/requestApproval')).to.have.length(1);
      const done = h.client.received.filter((m) => m.method === 'item/completed' && itemOf(m).type === 'commandExecution');
      expect(done.map((m) => [itemOf(m).id, itemOf(m).status, itemOf(m).aggregatedOutput])).to.deep.equal([
        ['call-a', 'completed', 'again\n'],
        ['call-b', 'completed', 'again\n'],
      ]);
      // A later turn of the same session does not ask either.
      h.mock.enqueue({ output: [execCall('call-c', 'sleep 0; echo again')] }, reply('Third.'));
      const next = await startTurn(h, threadId, [text('Once more')]);
      await turnCompleted(h, next.turnId);
      expect(h.client.received.filter((m) => m.method === 'item/commandExecution/requestApproval')).to.have.length(1);
    });
  });

  it('an interrupt while an approval is pending cancels it: the item ends declined, the command never runs', async () => {
    const h = await startTurnHarness([{ output: [execCall('call-wait', 'touch never.txt')] }]);
    const { threadId } = await startThread(h, FULL_ACCESS);
    const { turnId } = await startTurn(h, threadId, [text('Touch it')]);
    const approval = await serverRequest(h, 'item/commandExecution/requestApproval');
    expect(resultOf(await h.client.request('turn/interrupt', { threadId, turnId }))).to.deep.equal({});
    const completed = await turnCompleted(h, turnId);
    expect((completed.params as { turn: { status: string } }).turn.status).to.equal('interrupted');
    const completions = h.client.received.filter((m) => m.method === 'item/completed' && itemOf(m).id === 'call-wait');
    expect(completions.map((m) => itemOf(m).status)).to.deep.equal(['declined']);
    // A late answer is harmless: nothing runs, the server keeps serving.
    answer(h, approval, { decision: 'accept' });
    expect(resultOf(await h.client.request('thread/loaded/list', {}))).to.deep.include({ data: [threadId] });
    expect(() => readFileSync(join(h.cwd, 'never.txt'))).to.throw();
    expect(h.mock.requests).to.have.length(1);
  });

  describe('apply_patch (freeform)', () => {
    const PATCH = ['*** Begin Patch', '*** Add File: notes/new.txt', '+fresh line', '*** Update File: existing.txt', '@@', ' keep', '-old', '+new', '*** End Patch', ''].join('\n');

    const patchTurn = async (h: TurnHarness) => {
      writeFileSync(join(h.cwd, 'existing.txt'), 'keep\nold\n');
      const { threadId } = await startThread(h, { approvalPolicy: 'never', sandbox: 'danger-full-access' });
      const { response, turnId } = await startTurn(h, threadId, [text('Patch it')]);
      const completed = await turnCompleted(h, turnId);
      return { threadId, turnId, seen: between(h, response, completed), completed };
    };

    for (const [how, options] of [
      ['config.toml [features]', { config: '[features]\napply_patch_freeform = true\n' }],
      ['-c features.apply_patch_freeform=true', { args: ['-c', 'features.apply_patch_freeform=true'] }],
    ] as const) {
      it(`offers the custom tool (${how}); a call changes the files, reports a fileChange item and the turn diff`, async () => {
        const h = await startTurnHarness(
          [{ output: [{ type: 'custom_tool_call', name: 'apply_patch', callId: 'call-patch', input: PATCH }] }, reply('Patched.')],
          options,
        );
        const { threadId, turnId, seen, completed } = await patchTurn(h);
        const tool = (h.mock.requests[0]!.body.tools as Array<{ type: string; name?: string }>).find((t) => t.name === 'apply_patch');
        expect(tool?.type).to.equal('custom');
        expect((completed.params as { turn: { status: string } }).turn.status).to.equal('completed');
        expect(readFileSync(join(h.cwd, 'existing.txt'), 'utf8')).to.equal('keep\nnew\n');
        expect(readFileSync(join(h.cwd, 'notes/new.txt'), 'utf8')).to.equal('fresh line\n');
        const events = itemEvents(seen, 'call-patch');
        expect(events.map((m) => [m.method, itemOf(m).type, itemOf(m).status])).to.deep.equal([
          ['item/started', 'fileChange', 'inProgress'],
          ['item/completed', 'fileChange', 'completed'],
        ]);
        const changes = itemOf(events[1]!).changes as Array<{ path: string; kind: { type: string }; diff: string }>;
        expect(changes.map((c) => c.path)).to.deep.equal([join(h.cwd, 'existing.txt'), join(h.cwd, 'notes/new.txt')]);
        expect(changes[0]!.kind).to.deep.equal({ type: 'update', move_path: null });
        expect(changes[0]!.diff).to.contain('-old').and.contain('+new');
        expect(changes[1]).to.deep.equal({ path: join(h.cwd, 'notes/new.txt'), kind: { type: 'add' }, diff: 'fresh line\n' });
        expect(itemOf(events[0]!).changes).to.deep.equal(changes);
        const diffs = seen.filter((m) => m.method === 'turn/diff/updated');
        expect(diffs.length).to.be.greaterThan(0);
        const diff = diffs.at(-1)!.params as { threadId: string; turnId: string; diff: string };
        expect(diff).to.include({ threadId, turnId });
        expect(diff.diff).to.contain('existing.txt').and.contain('-old').and.contain('+new').and.contain('+fresh line');
        expect(seen.indexOf(diffs[0]!)).to.be.greaterThan(seen.indexOf(events[1]!));
        const output = outputOf(h.mock.requests[1]!.body, 'call-patch');
        expect(output?.type).to.equal('custom_tool_call_output');
      });
    }
  });

  describe('apply_patch approval (untrusted)', () => {
    const PATCH = ['*** Begin Patch', '*** Add File: approved.txt', '+hi', '*** End Patch', ''].join('\n');
    for (const decision of ['accept', 'decline'] as const) {
      it(`item/fileChange/requestApproval, answered ${decision}`, async () => {
        const h = await startTurnHarness(
          [{ output: [{ type: 'custom_tool_call', name: 'apply_patch', callId: 'call-fc', input: PATCH }] }, reply('Done.')],
          { config: '[features]\napply_patch_freeform = true\n' },
        );
        const { threadId } = await startThread(h, { approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
        const { response, turnId } = await startTurn(h, threadId, [text('Add a file')]);
        const approval = await serverRequest(h, 'item/fileChange/requestApproval');
        expect(approval.params).to.deep.equal({ threadId, turnId, itemId: 'call-fc', reason: null, grantRoot: null });
        // The item starts (with its changes) before the question.
        const started = h.client.received.find((m) => m.method === 'item/started' && itemOf(m).id === 'call-fc')!;
        expect(h.client.received.indexOf(started)).to.be.lessThan(h.client.received.indexOf(approval));
        expect(itemOf(started)).to.deep.equal({
          type: 'fileChange',
          id: 'call-fc',
          changes: [{ path: join(h.cwd, 'approved.txt'), kind: { type: 'add' }, diff: 'hi\n' }],
          status: 'inProgress',
        });
        answer(h, approval, { decision });
        const completed = await turnCompleted(h, turnId);
        const seen = between(h, response, completed);
        const completions = seen.filter((m) => m.method === 'item/completed' && itemOf(m).id === 'call-fc');
        expect(completions.map((m) => itemOf(m).status)).to.deep.equal([decision === 'accept' ? 'completed' : 'declined']);
        const exists = (() => {
          try {
            return readFileSync(join(h.cwd, 'approved.txt'), 'utf8');
          } catch {
            return null;
          }
        })();
        expect(exists).to.equal(decision === 'accept' ? 'hi\n' : null);
        expect(seen.some((m) => m.method === 'turn/diff/updated')).to.equal(decision === 'accept');
        expect(outputOf(h.mock.requests[1]!.body, 'call-fc')?.type).to.equal('custom_tool_call_output');
      });
    }

    it('acceptForSession: a later change to the same file is applied without asking again', async () => {
      const UPDATE = ['*** Begin Patch', '*** Update File: approved.txt', '@@', '-hi', '+hello', '*** End Patch', ''].join('\n');
      const h = await startTurnHarness(
        [
          { output: [{ type: 'custom_tool_call', name: 'apply_patch', callId: 'call-fc', input: PATCH }] },
          { output: [{ type: 'custom_tool_call', name: 'apply_patch', callId: 'call-fc2', input: UPDATE }] },
          reply('Done.'),
        ],
        { config: '[features]\napply_patch_freeform = true\n' },
      );
      const { threadId } = await startThread(h, { approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
      const { turnId } = await startTurn(h, threadId, [text('Add then edit a file')]);
      answer(h, await serverRequest(h, 'item/fileChange/requestApproval'), { decision: 'acceptForSession' });
      await turnCompleted(h, turnId);
      expect(h.client.received.filter((m) => m.method === 'item/fileChange/requestApproval')).to.have.length(1);
      const statuses = h.client.received.filter((m) => m.method === 'item/completed' && itemOf(m).type === 'fileChange').map((m) => itemOf(m).status);
      expect(statuses).to.deep.equal(['completed', 'completed']);
      expect(readFileSync(join(h.cwd, 'approved.txt'), 'utf8')).to.equal('hello\n');
    });

    it('cancel: the change is declined, nothing is written, and the turn ends interrupted', async () => {
      const h = await startTurnHarness(
        [{ output: [{ type: 'custom_tool_call', name: 'apply_patch', callId: 'call-fc', input: PATCH }] }, reply('never sent')],
        { config: '[features]\napply_patch_freeform = true\n' },
      );
      const { threadId } = await startThread(h, { approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
      const { turnId } = await startTurn(h, threadId, [text('Add a file')]);
      answer(h, await serverRequest(h, 'item/fileChange/requestApproval'), { decision: 'cancel' });
      const completed = await turnCompleted(h, turnId);
      expect((completed.params as { turn: { status: string } }).turn.status).to.equal('interrupted');
      const item = h.client.received.find((m) => m.method === 'item/completed' && itemOf(m).id === 'call-fc')!;
      expect(itemOf(item).status).to.equal('declined');
      expect(existsSync(join(h.cwd, 'approved.txt'))).to.equal(false);
      expect(h.mock.requests).to.have.length(1);
    });
  });

  describe('dynamic tools (experimental)', () => {
    it('a call becomes an item/tool/call request; the content items reach the next model request', async () => {
      const h = await startTurnHarness(
        [
          { output: [{ type: 'function_call', name: 'lookup_ticket', callId: 'call-dyn', arguments: '{"id":42}' }] },
          reply('Ticket found.'),
        ],
        { capabilities: { experimentalApi: true } },
      );
      const dynamicTools = [
        { name: 'lookup_ticket', description: 'Look up a ticket', inputSchema: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } },
      ];
      const { threadId } = await startThread(h, { dynamicTools });
      const { turnId } = await startTurn(h, threadId, [text('Find ticket 42')]);
      const call = await serverRequest(h, 'item/tool/call');
      expect(call.params).to.deep.equal({ threadId, turnId, callId: 'call-dyn', tool: 'lookup_ticket', arguments: { id: 42 } });
      answer(h, call, { contentItems: [{ type: 'inputText', text: 'Ticket 42: printer on fire' }], success: true });
      const completed = await turnCompleted(h, turnId);
      expect((completed.params as { turn: { status: string } }).turn.status).to.equal('completed');
      const spec = (h.mock.requests[0]!.body.tools as Array<Record<string, unknown>>).find((t) => t.name === 'lookup_ticket');
      expect(spec).to.deep.include({ type: 'function', name: 'lookup_ticket', description: 'Look up a ticket', strict: false });
      const output = outputOf(h.mock.requests[1]!.body, 'call-dyn');
      expect(output).to.deep.equal({ type: 'function_call_output', call_id: 'call-dyn', output: [{ type: 'input_text', text: 'Ticket 42: printer on fire' }] });
    });
  });

  it('view_image shows the image to the model and reports an imageView item', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const h = await startTurnHarness([{ output: [{ type: 'function_call', name: 'view_image', callId: 'call-img', arguments: '{"path":"shot.png"}' }] }, reply('A pixel.')]);
    writeFileSync(join(h.cwd, 'shot.png'), png);
    const { threadId } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [text('Look')]);
    const completed = await turnCompleted(h, turnId);
    const events = itemEvents(between(h, response, completed), 'call-img');
    const item = { type: 'imageView', id: 'call-img', path: join(h.cwd, 'shot.png') };
    expect(events.map((m) => [m.method, itemOf(m)])).to.deep.equal([
      ['item/started', item],
      ['item/completed', item],
    ]);
    expect(outputOf(h.mock.requests[1]!.body, 'call-img')).to.deep.equal({
      type: 'function_call_output',
      call_id: 'call-img',
      output: [{ type: 'input_image', image_url: `data:image/png;base64,${png.toString('base64')}` }],
    });
  });

  it('a dynamic tool call the client answers with an error gives the model a failed call', async () => {
    const h = await startTurnHarness(
      [{ output: [{ type: 'function_call', name: 'lookup_ticket', callId: 'call-dyn-err', arguments: '{}' }] }, reply('It failed.')],
      { capabilities: { experimentalApi: true } },
    );
    const { threadId } = await startThread(h, { dynamicTools: [{ name: 'lookup_ticket', description: 'Look up a ticket', inputSchema: { type: 'object' } }] });
    const { turnId } = await startTurn(h, threadId, [text('Find it')]);
    const call = await serverRequest(h, 'item/tool/call');
    h.client.send({ id: call.id!, error: { code: -32000, message: 'tool crashed' } });
    expect(((await turnCompleted(h, turnId)).params as { turn: { status: string } }).turn.status).to.equal('completed');
    expect(outputOf(h.mock.requests[1]!.body, 'call-dyn-err')).to.deep.equal({
      type: 'function_call_output',
      call_id: 'call-dyn-err',
      output: [{ type: 'input_text', text: 'dynamic tool request failed' }],
    });
  });

  describe('web search (hosted by the provider)', () => {
    const webSearchTools = (h: TurnHarness): unknown[] => (h.mock.requests[0]!.body.tools as Array<{ type: string }>).filter((t) => t.type === 'web_search');

    it('offers web_search (cached by default) and shows the searches the provider ran as webSearch items', async () => {
      const h = await startTurnHarness([{ output: [{ type: 'web_search_call', id: 'ws_1', query: 'rxjs scan operator' }, { type: 'message', id: 'msg_1', text: 'Found it.' }] }]);
      const { threadId } = await startThread(h);
      const { response, turnId } = await startTurn(h, threadId, [text('Look it up')]);
      const completed = await turnCompleted(h, turnId);
      expect(webSearchTools(h)).to.deep.equal([{ type: 'web_search', external_web_access: false }]);
      const events = itemEvents(between(h, response, completed), 'ws_1');
      expect(events.map((m) => m.method)).to.deep.equal(['item/started', 'item/completed']);
      expect(itemOf(events[1]!)).to.deep.equal({ type: 'webSearch', id: 'ws_1', query: 'rxjs scan operator', action: { type: 'search', query: 'rxjs scan operator' } });
      expect(events[1]!.params).to.deep.include({ threadId, turnId });
      expect(h.mock.requests).to.have.length(1);
    });

    it('is live under full access, and absent when web_search is disabled', async () => {
      const live = await startTurnHarness([reply('ok')]);
      const { threadId } = await startThread(live, { sandbox: 'danger-full-access' });
      await turnCompleted(live, (await startTurn(live, threadId, [text('hi')])).turnId);
      expect(webSearchTools(live)).to.deep.equal([{ type: 'web_search', external_web_access: true }]);
      const off = await startTurnHarness([reply('ok')], { config: 'web_search = "disabled"\n' });
      const { threadId: offThread } = await startThread(off, { sandbox: 'danger-full-access' });
      await turnCompleted(off, (await startTurn(off, offThread, [text('hi')])).turnId);
      expect(webSearchTools(off)).to.deep.equal([]);
    });
  });

  describe('shell (unified_exec off)', () => {
    const shellCall = { type: 'function_call' as const, name: 'shell', callId: 'call-sh', arguments: JSON.stringify({ command: ['bash', '-c', 'echo hi'] }) };
    it('answers the model with JSON output', async () => {
      const h = await startTurnHarness([{ output: [shellCall] }, reply('ok')], { config: '[features]\nunified_exec = false\n' });
      const { threadId } = await startThread(h, { approvalPolicy: 'never', sandbox: 'danger-full-access' });
      const { turnId } = await startTurn(h, threadId, [text('Say hi')]);
      await turnCompleted(h, turnId);
      const names = (h.mock.requests[0]!.body.tools as Array<{ name?: string }>).map((t) => t.name);
      expect(names).to.include('shell').and.not.include('exec_command');
      const output = JSON.parse(outputOf(h.mock.requests[1]!.body, 'call-sh')!.output as string) as { output: string; metadata: { exit_code: number } };
      expect(output.output).to.equal('hi\n');
      expect(output.metadata.exit_code).to.equal(0);
    });

    it('answers the model with plain text when the freeform apply_patch tool is offered (SPEC §12.2)', async () => {
      const h = await startTurnHarness([{ output: [shellCall] }, reply('ok')], { config: '[features]\nunified_exec = false\napply_patch_freeform = true\n' });
      const { threadId } = await startThread(h, { approvalPolicy: 'never', sandbox: 'danger-full-access' });
      const { turnId } = await startTurn(h, threadId, [text('Say hi')]);
      await turnCompleted(h, turnId);
      expect(outputOf(h.mock.requests[1]!.body, 'call-sh')!.output).to.match(/^Exit code: 0\nWall time: [\d.]+ seconds\nOutput:\nhi\n$/);
    });
  });

  it('update_plan (default mode) publishes turn/plan/updated', async () => {
    const plan = { explanation: 'Start small', plan: [{ step: 'Read code', status: 'completed' }, { step: 'Fix bug', status: 'in_progress' }, { step: 'Test', status: 'pending' }] };
    const h = await startTurnHarness([{ output: [{ type: 'function_call', name: 'update_plan', callId: 'call-plan', arguments: JSON.stringify(plan) }] }, reply('On it.')]);
    const { threadId } = await startThread(h);
    const { turnId } = await startTurn(h, threadId, [text('Plan it')]);
    await turnCompleted(h, turnId);
    const updated = notificationsOf(h.client.received).filter((m) => m.method === 'turn/plan/updated');
    expect(updated.map((m) => m.params)).to.deep.equal([
      {
        threadId,
        turnId,
        explanation: 'Start small',
        plan: [
          { step: 'Read code', status: 'completed' },
          { step: 'Fix bug', status: 'inProgress' },
          { step: 'Test', status: 'pending' },
        ],
      },
    ]);
    expect(JSON.stringify(outputOf(h.mock.requests[1]!.body, 'call-plan'))).to.contain('Plan updated');
    expect(resultOf(await h.client.request('thread/loaded/list', {}))).to.deep.include({ data: [threadId] });
  });
});
