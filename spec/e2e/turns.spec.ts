import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  answer,
  between,
  cleanupTurnHarnesses,
  errorOf,
  methodAndParams,
  notificationsOf,
  REFERENCE_FIXTURES,
  referenceTurnNotifications,
  resultOf,
  rolloutLines,
  serverRequest,
  startThread,
  startTurn,
  startTurnHarness,
  text,
  turnCompleted,
} from '../support/turnHarness.js';

/**
 * A FIFO in `dir` that a command opens for writing (`exec sleep 30 > alive.fifo`): once the
 * test's reader is open, its `gone` resolves when every writer has died — an event, not a poll.
 */
const lifeline = (dir: string) => {
  const path = join(dir, 'alive.fifo');
  execFileSync('mkfifo', [path]);
  return {
    /** Opens the reader (the command must already be blocked opening its end); resolves with `gone`. */
    attach: async (): Promise<{ gone: Promise<void> }> => {
      const reader = createReadStream(path);
      const gone = new Promise<void>((resolve) => reader.on('end', resolve).on('error', () => resolve()).resume());
      await once(reader, 'open');
      return { gone };
    },
  };
};

/** Whether a process exists and is not a zombie (killed but not yet reaped counts as gone). */
const isRunning = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

const RATE_LIMITS = { rateLimits: { limitId: 'codex', limitName: null, primary: null, secondary: null, credits: null, planType: null } };

describe('turns (stdio, mock model)', () => {
  afterEach(cleanupTurnHarnesses);

  it('a basic turn: the reference order and payloads, the model request, thread/read and the rollout', async () => {
    const usage = { input_tokens: 1200, input_tokens_details: { cached_tokens: 200 }, output_tokens: 34, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 1234 };
    const h = await startTurnHarness([
      { output: [{ type: 'message', id: 'msg-basic-1', text: 'Hello there! This is a streamed reply.', chunks: ['Hel', 'lo there!', ' This is', ' a streamed', ' reply.'] }], usage },
    ]);
    const { threadId, path } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [{ type: 'text', text: 'Say hello' }]);
    expect(resultOf(response)).to.deep.equal({ turn: { id: turnId, items: [], status: 'inProgress', error: null } });
    const completed = await turnCompleted(h, turnId);
    const seen = notificationsOf(between(h, response, completed));
    const userItemId = (seen[1]!.params as { item: { id: string } }).item.id;
    expect(userItemId).to.match(/^[0-9a-f-]{36}$/);
    const userItem = { type: 'userMessage', id: userItemId, content: [{ type: 'text', text: 'Say hello', text_elements: [] }] };
    const last = { totalTokens: 1234, inputTokens: 1200, cachedInputTokens: 200, outputTokens: 34, reasoningOutputTokens: 5 };
    const ids = { threadId, turnId };
    const delta = (d: string) => ({ method: 'item/agentMessage/delta', params: { ...ids, itemId: 'msg-basic-1', delta: d } });
    expect(seen.map((m) => ({ method: m.method, params: m.params }))).to.deep.equal([
      { method: 'turn/started', params: { threadId, turn: { id: turnId, items: [], status: 'inProgress', error: null } } },
      { method: 'item/started', params: { item: userItem, ...ids } },
      { method: 'item/completed', params: { item: userItem, ...ids } },
      { method: 'account/rateLimits/updated', params: RATE_LIMITS },
      { method: 'item/started', params: { item: { type: 'agentMessage', id: 'msg-basic-1', text: '' }, ...ids } },
      delta('Hel'),
      delta('lo there!'),
      delta(' This is'),
      delta(' a streamed'),
      delta(' reply.'),
      { method: 'item/completed', params: { item: { type: 'agentMessage', id: 'msg-basic-1', text: 'Hello there! This is a streamed reply.' }, ...ids } },
      { method: 'thread/tokenUsage/updated', params: { ...ids, tokenUsage: { total: last, last, modelContextWindow: 258400 } } },
      { method: 'account/rateLimits/updated', params: RATE_LIMITS },
      { method: 'turn/completed', params: { threadId, turn: { id: turnId, items: [], status: 'completed', error: null } } },
    ]);

    // Exactly what the reference sent (turn-basic fixture).
    expect(methodAndParams(seen)).to.deep.equal(referenceTurnNotifications('turn-basic', 3, { '<thread-1>': threadId, '<turn-1>': turnId, '<item-1>': userItemId }));

    // The model request (SPEC §12.1–12.2).
    expect(h.mock.requests).to.have.length(1);
    const request = h.mock.requests[0]!;
    const init = resultOf<{ userAgent: string }>(h.client.received.find((m) => m.id === 1)!);
    expect(request.path).to.equal('/v1/responses');
    expect(request.headers.originator).to.equal('rxagent-spec');
    expect(request.headers.session_id).to.equal(threadId);
    expect(request.headers['user-agent']).to.equal(init.userAgent);
    const body = request.body;
    expect(body).to.include({ model: 'mock-model', stream: true, store: false, prompt_cache_key: threadId, tool_choice: 'auto' });
    expect(body.instructions).to.be.a('string').that.is.not.empty;
    expect(body.input.at(-1)).to.deep.equal({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hello' }] });
    const names = (body.tools as Array<{ name?: string }>).map((t) => t.name);
    expect(names).to.include.members(['exec_command', 'write_stdin', 'update_plan', 'request_user_input', 'view_image']);

    // thread/read rebuilds the turn from the rollout.
    const read = resultOf<{ thread: { preview: string; turns: unknown[] } }>(await h.client.request('thread/read', { threadId, includeTurns: true }));
    expect(read.thread.preview).to.equal('Say hello');
    expect(read.thread.turns).to.deep.equal([
      {
        id: turnId,
        items: [
          { type: 'userMessage', id: 'item-1', content: [{ type: 'text', text: 'Say hello', text_elements: [] }] },
          { type: 'agentMessage', id: 'item-2', text: 'Hello there! This is a streamed reply.' },
        ],
        status: 'completed',
        error: null,
      },
    ]);
    expect(existsSync(path)).to.equal(true);
    // The turn's lines are the reference's, in the reference's order (its initial context differs: rxagent's own texts).
    const kinds = (file: string) => {
      const all = rolloutLines(file).map((l) => (l.type === 'event_msg' || l.type === 'response_item' ? `${l.type}:${l.payload.type}:${l.payload.role ?? ''}` : l.type));
      return { first: all[0], turn: all.slice(all.indexOf('event_msg:task_started:')) };
    };
    const referenceDir = new URL('turn-basic/codex_home/sessions/', REFERENCE_FIXTURES);
    const referenceFile = readdirSync(referenceDir, { recursive: true, withFileTypes: true }).find((e) => e.isFile())!;
    expect(kinds(path)).to.deep.equal(kinds(join(referenceFile.parentPath, referenceFile.name)));
  });

  it('reasoning summary parts stream as summaryPartAdded / summaryTextDelta and complete with the summary', async () => {
    const h = await startTurnHarness([
      {
        output: [
          { type: 'reasoning', id: 'rs_1', summary: ['**Thinking** about it', 'Second thought'] },
          { type: 'message', id: 'msg_1', text: 'Done.' },
        ],
      },
    ]);
    const { threadId } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [text('Think')]);
    const completed = await turnCompleted(h, turnId);
    const ids = { threadId, turnId };
    const reasoning = notificationsOf(between(h, response, completed)).filter(
      (m) => m.method!.startsWith('item/reasoning/') || ((m.params as { item?: { type: string } }).item?.type === 'reasoning'),
    );
    expect(reasoning.map((m) => ({ method: m.method, params: m.params }))).to.deep.equal([
      { method: 'item/started', params: { item: { type: 'reasoning', id: 'rs_1', summary: [], content: [] }, ...ids } },
      { method: 'item/reasoning/summaryPartAdded', params: { ...ids, itemId: 'rs_1', summaryIndex: 0 } },
      { method: 'item/reasoning/summaryTextDelta', params: { ...ids, itemId: 'rs_1', delta: '**Thinking** about it', summaryIndex: 0 } },
      { method: 'item/reasoning/summaryPartAdded', params: { ...ids, itemId: 'rs_1', summaryIndex: 1 } },
      { method: 'item/reasoning/summaryTextDelta', params: { ...ids, itemId: 'rs_1', delta: 'Second thought', summaryIndex: 1 } },
      { method: 'item/completed', params: { item: { type: 'reasoning', id: 'rs_1', summary: ['**Thinking** about it', 'Second thought'], content: [] }, ...ids } },
    ]);
    // The reasoning item completes before the agent message starts.
    const all = notificationsOf(between(h, response, completed));
    const reasoningDone = all.findIndex((m) => m.method === 'item/completed' && (m.params as { item: { type: string } }).item.type === 'reasoning');
    const messageStart = all.findIndex((m) => m.method === 'item/started' && (m.params as { item: { type: string } }).item.type === 'agentMessage');
    expect(reasoningDone).to.be.lessThan(messageStart);
    const read = resultOf<{ thread: { turns: Array<{ items: unknown[] }> } }>(await h.client.request('thread/read', { threadId, includeTurns: true }));
    expect(read.thread.turns[0]!.items).to.deep.equal([
      { type: 'userMessage', id: 'item-1', content: [{ type: 'text', text: 'Think', text_elements: [] }] },
      { type: 'reasoning', id: 'item-2', summary: ['**Thinking** about it', 'Second thought'], content: [] },
      { type: 'agentMessage', id: 'item-3', text: 'Done.' },
    ]);
  });

  describe('turn/interrupt', () => {
    it('aborts the model request; answers {} before turn/completed interrupted; the rollout records turn_aborted', async () => {
      const h = await startTurnHarness([{ output: [{ type: 'message', id: 'msg_hold', text: 'Working on' }], end: 'hold' }]);
      const { threadId, path } = await startThread(h);
      const { turnId } = await startTurn(h, threadId, [text('Take your time')]);
      await h.client.waitFor((m) => m.method === 'item/agentMessage/delta');
      const reply = await h.client.request('turn/interrupt', { threadId, turnId });
      expect(resultOf(reply)).to.deep.equal({});
      const completed = await turnCompleted(h, turnId);
      expect(h.client.received.indexOf(reply)).to.be.lessThan(h.client.received.indexOf(completed));
      expect(completed.params).to.deep.equal({ threadId, turn: { id: turnId, items: [], status: 'interrupted', error: null } });
      await h.mock.abandonedBy(0);
      const lines = rolloutLines(path);
      const aborted = lines.find((l) => l.type === 'event_msg' && l.payload.type === 'turn_aborted');
      expect(aborted?.payload).to.deep.equal({ type: 'turn_aborted', turn_id: turnId, reason: 'interrupted' });
      expect(lines.some((l) => l.type === 'event_msg' && l.payload.type === 'task_complete')).to.equal(false);
      // The thread is free again: a new turn runs, and the model is told about the interrupt.
      h.mock.enqueue({ output: [{ type: 'message', text: 'OK' }] });
      const next = await startTurn(h, threadId, [text('Go on')]);
      expect((await turnCompleted(h, next.turnId)).params).to.deep.include({ threadId });
      const input = (await h.mock.request(1)).body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
      expect(input.some((i) => i.role === 'user' && i.content?.[0]?.text?.startsWith('<turn_aborted>'))).to.equal(true);
      const read = resultOf<{ thread: { turns: Array<{ id: string; status: string }> } }>(await h.client.request('thread/read', { threadId, includeTurns: true }));
      expect(read.thread.turns.map((t) => [t.id, t.status])).to.deep.equal([
        [turnId, 'interrupted'],
        [next.turnId, 'completed'],
      ]);
    });

    for (const [tool, options, call] of [
      ['exec_command', {}, { name: 'exec_command', arguments: JSON.stringify({ cmd: 'echo $$; exec sleep 30 > alive.fifo', yield_time_ms: 20000 }) }],
      ['shell', { config: '[features]\nunified_exec = false\n' }, { name: 'shell', arguments: JSON.stringify({ command: ['bash', '-c', 'echo $$; exec sleep 30 > alive.fifo'], timeout_ms: 60000 }) }],
    ] as const) {
      it(`kills a command running in ${tool}; its item completes (failed) before turn/completed interrupted`, async () => {
        const h = await startTurnHarness([{ output: [{ type: 'function_call', callId: 'call-long', ...call }] }], options);
        const { threadId } = await startThread(h, { approvalPolicy: 'never', sandbox: 'danger-full-access' });
        const fifo = lifeline(h.cwd);
        const { turnId } = await startTurn(h, threadId, [text('Run something long')]);
        const delta = await h.client.waitFor((m) => m.method === 'item/commandExecution/outputDelta');
        const pid = Number((delta.params as { delta: string }).delta.trim());
        expect(pid).to.be.greaterThan(0);
        const { gone } = await fifo.attach();
        expect(resultOf(await h.client.request('turn/interrupt', { threadId, turnId }))).to.deep.equal({});
        const completed = await turnCompleted(h, turnId);
        expect((completed.params as { turn: { status: string } }).turn.status).to.equal('interrupted');
        const itemDone = h.client.received.filter((m) => m.method === 'item/completed' && (m.params as { item: { id: string } }).item.id === 'call-long');
        expect(itemDone).to.have.length(1);
        expect(h.client.received.indexOf(itemDone[0]!)).to.be.lessThan(h.client.received.indexOf(completed));
        expect((itemDone[0]!.params as { item: { status: string } }).item.status).to.equal('failed');
        // Unified exec sessions are awaited before turn/completed; the one-shot shell is killed as the turn stops.
        if (tool === 'exec_command') expect(isRunning(pid)).to.equal(false);
        await gone;
        expect(h.mock.requests).to.have.length(1);
      });
    }

    it('kills a command left running in the background by exec_command (the model was answered already)', async () => {
      const h = await startTurnHarness([
        { output: [{ type: 'function_call', callId: 'call-bg', name: 'exec_command', arguments: JSON.stringify({ cmd: 'echo $$; exec sleep 30 > alive.fifo', yield_time_ms: 250 }) }] },
        { output: [{ type: 'message', text: 'Waiting for it' }], end: 'hold' },
      ]);
      const { threadId } = await startThread(h, { approvalPolicy: 'never', sandbox: 'danger-full-access' });
      const fifo = lifeline(h.cwd);
      const { turnId } = await startTurn(h, threadId, [text('Start a server')]);
      const delta = await h.client.waitFor((m) => m.method === 'item/commandExecution/outputDelta');
      const pid = Number((delta.params as { delta: string }).delta.trim());
      const { gone } = await fifo.attach();
      const second = await h.mock.request(1);
      const output = (second.body.input as Array<{ type: string; call_id?: string; output?: string }>).find((i) => i.type === 'function_call_output' && i.call_id === 'call-bg');
      expect(output?.output).to.match(/Process running with session ID \d+/);
      expect(isRunning(pid)).to.equal(true);
      expect(resultOf(await h.client.request('turn/interrupt', { threadId, turnId }))).to.deep.equal({});
      const completed = await turnCompleted(h, turnId);
      const itemDone = h.client.received.filter((m) => m.method === 'item/completed' && (m.params as { item: { id: string } }).item.id === 'call-bg');
      expect(itemDone.map((m) => (m.params as { item: { status: string } }).item.status)).to.deep.equal(['failed']);
      expect(h.client.received.indexOf(itemDone[0]!)).to.be.lessThan(h.client.received.indexOf(completed));
      expect(isRunning(pid)).to.equal(false);
      await gone;
      await h.mock.abandonedBy(1);
    });

    it('with nothing running answers at once with noActiveTurn; a wrong turnId gets turnMismatch', async () => {
      const h = await startTurnHarness([{ output: [{ type: 'message', text: 'Still' }], end: 'hold' }]);
      const { threadId } = await startThread(h);
      const idle = await h.client.request('turn/interrupt', { threadId, turnId: 'nope' });
      expect(errorOf(idle).data.kind).to.equal('noActiveTurn');
      const { turnId } = await startTurn(h, threadId, [text('Hold on')]);
      await h.mock.request(0);
      const wrong = await h.client.request('turn/interrupt', { threadId, turnId: 'not-the-turn' });
      expect(errorOf(wrong).data.kind).to.equal('turnMismatch');
      expect(h.client.received.some((m) => m.method === 'turn/completed')).to.equal(false);
      expect(resultOf(await h.client.request('turn/interrupt', { threadId, turnId }))).to.deep.equal({});
      expect(((await turnCompleted(h, turnId)).params as { turn: { status: string } }).turn.status).to.equal('interrupted');
    });
  });

  describe('turn/start and turn/steer', () => {
    /** A turn parked on a command approval: the model asked to run `sleep 0` under `untrusted`. */
    const parkedTurn = async () => {
      const h = await startTurnHarness([
        { output: [{ type: 'function_call', name: 'exec_command', callId: 'call-park', arguments: JSON.stringify({ cmd: 'sleep 0', yield_time_ms: 5000 }) }] },
        { output: [{ type: 'message', id: 'msg-after', text: 'All done.' }] },
      ]);
      const { threadId } = await startThread(h, { approvalPolicy: 'untrusted', sandbox: 'danger-full-access' });
      const { turnId } = await startTurn(h, threadId, [text('First')]);
      const approval = await serverRequest(h, 'item/commandExecution/requestApproval');
      return { h, threadId, turnId, approval };
    };

    it('rejects an empty input with -32602', async () => {
      const h = await startTurnHarness([]);
      const { threadId } = await startThread(h);
      const reply = await h.client.request('turn/start', { threadId, input: [] });
      expect(errorOf(reply).code).to.equal(-32602);
      expect(errorOf(reply).message).to.equal('input must not be empty');
      expect(h.client.received.some((m) => m.method === 'turn/started')).to.equal(false);
      expect(h.mock.requests).to.have.length(0);
    });

    it('while a turn runs, folds the input into it and answers the running turn id, with no second turn/started', async () => {
      const { h, threadId, turnId, approval } = await parkedTurn();
      const again = await h.client.request('turn/start', { threadId, input: [text('Also this')] });
      expect(resultOf(again)).to.deep.equal({ turn: { id: turnId, items: [], status: 'inProgress', error: null } });
      answer(h, approval, { decision: 'accept' });
      await turnCompleted(h, turnId);
      expect(h.client.received.filter((m) => m.method === 'turn/started')).to.have.length(1);
      expect(h.client.received.filter((m) => m.method === 'turn/completed')).to.have.length(1);
      const users = h.client.received.filter((m) => m.method === 'item/completed' && (m.params as { item: { type: string } }).item.type === 'userMessage');
      expect(users.map((m) => [(m.params as { turnId: string }).turnId, (m.params as { item: { content: Array<{ text: string }> } }).item.content[0]!.text])).to.deep.equal([
        [turnId, 'First'],
        [turnId, 'Also this'],
      ]);
      const second = (await h.mock.request(1)).body.input as Array<Record<string, unknown>>;
      expect(second.at(-1)).to.deep.equal({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Also this' }] });
      expect(second.at(-2)).to.include({ type: 'function_call_output', call_id: 'call-park' });
    });

    it('input sent while a turn is finishing is never lost: it lands in the turn whose id was answered', async () => {
      const h = await startTurnHarness([{ output: [{ type: 'message', id: 'msg-end', text: 'Finished.' }] }, { output: [{ type: 'message', text: 'More.' }] }, { output: [{ type: 'message', text: 'Again.' }] }]);
      const { threadId } = await startThread(h);
      const { turnId } = await startTurn(h, threadId, [text('Go')]);
      await h.client.waitFor((m) => m.method === 'item/completed' && (m.params as { item: { id: string } }).item.id === 'msg-end');
      // Both race the end of the turn; whichever way each goes, the input must not vanish.
      const [steer, start] = await Promise.all([
        h.client.request('turn/steer', { threadId, input: [text('steered late')], expectedTurnId: turnId }),
        h.client.request('turn/start', { threadId, input: [text('started late')] }),
      ]);
      const landed = async (input: string, answeredTurn: string) => {
        await turnCompleted(h, answeredTurn);
        const item = h.client.received.find(
          (m) => m.method === 'item/completed' && (m.params as { item: { content?: Array<{ text: string }> } }).item.content?.[0]?.text === input,
        );
        expect(item, `${input} was accepted for turn ${answeredTurn} but never recorded`).to.not.equal(undefined);
        expect((item!.params as { turnId: string }).turnId).to.equal(answeredTurn);
        const done = await turnCompleted(h, answeredTurn);
        expect(h.client.received.indexOf(item!)).to.be.lessThan(h.client.received.indexOf(done));
      };
      if ('result' in steer) await landed('steered late', resultOf<{ turnId: string }>(steer).turnId);
      else expect(errorOf(steer).data.kind).to.equal('noActiveTurn');
      await landed('started late', resultOf<{ turn: { id: string } }>(start).turn.id);
    });

    it('turn/steer adds a userMessage item to the same turn and the input to the next model request', async () => {
      const { h, threadId, turnId, approval } = await parkedTurn();
      const mismatch = await h.client.request('turn/steer', { threadId, input: [text('x')], expectedTurnId: 'other' });
      expect(errorOf(mismatch)).to.include({ code: -32600, message: `expected active turn id \`other\` but found \`${turnId}\`` });
      const steered = await h.client.request('turn/steer', { threadId, input: [text('Use tabs')], expectedTurnId: turnId });
      expect(resultOf(steered)).to.deep.equal({ turnId });
      answer(h, approval, { decision: 'accept' });
      const completed = await turnCompleted(h, turnId);
      expect((completed.params as { turn: { status: string } }).turn.status).to.equal('completed');
      const steeredItem = h.client.received.find(
        (m) => m.method === 'item/completed' && (m.params as { item: { type: string; content?: Array<{ text: string }> } }).item.content?.[0]?.text === 'Use tabs',
      );
      expect(steeredItem?.params).to.deep.include({ threadId, turnId });
      expect((steeredItem!.params as { item: { type: string } }).item.type).to.equal('userMessage');
      const second = (await h.mock.request(1)).body.input as Array<Record<string, unknown>>;
      expect(second.at(-1)).to.deep.equal({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Use tabs' }] });
      const read = resultOf<{ thread: { turns: Array<{ id: string; items: Array<{ type: string }> }> } }>(await h.client.request('thread/read', { threadId, includeTurns: true }));
      expect(read.thread.turns).to.have.length(1);
      expect(read.thread.turns[0]!.items.map((i) => i.type)).to.deep.equal(['userMessage', 'userMessage', 'agentMessage']);
      const idle = await h.client.request('turn/steer', { threadId, input: [text('late')], expectedTurnId: turnId });
      expect(errorOf(idle)).to.include({ code: -32600, message: 'no active turn to steer' });
    });
  });

  it('a model HTTP 500 with no retries: error (willRetry false), turn/completed failed with it; the server keeps serving', async () => {
    const h = await startTurnHarness([{ status: 500, body: { error: { message: 'boom' } } }, { output: [{ type: 'message', text: 'Recovered' }] }]);
    const { threadId } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [text('Fail please')]);
    const completed = await turnCompleted(h, turnId);
    const errors = between(h, response, completed).filter((m) => m.method === 'error');
    expect(errors).to.have.length(1);
    const error = errors[0]!.params as { error: { message: string; codexErrorInfo: unknown }; willRetry: boolean; threadId: string; turnId: string };
    expect(error).to.include({ willRetry: false, threadId, turnId });
    expect(error.error).to.deep.equal({ message: "We're currently experiencing high demand, which may cause temporary errors.", codexErrorInfo: 'internalServerError', additionalDetails: null });
    expect(completed.params).to.deep.equal({ threadId, turn: { id: turnId, items: [], status: 'failed', error: error.error } });
    const next = await startTurn(h, threadId, [text('Try again')]);
    const ok = await turnCompleted(h, next.turnId);
    expect(ok.params).to.deep.equal({ threadId, turn: { id: next.turnId, items: [], status: 'completed', error: null } });
    expect(h.mock.requests).to.have.length(2);
  });

  it('an image input for a text-only model is refused before the turn starts: -32602 unsupportedInputModality', async () => {
    const h = await startTurnHarness([], { config: 'model = "text-only"\n[models.text-only]\ninput_modalities = ["text"]\n' });
    const { threadId } = await startThread(h, { model: 'text-only' });
    const reply = await h.client.request('turn/start', { threadId, input: [text('What is this?'), { type: 'image', url: 'https://example.invalid/a.png' }] });
    expect(errorOf(reply)).to.include({ code: -32602 });
    expect(errorOf(reply).data.kind).to.equal('unsupportedInputModality');
    expect(errorOf(reply).message).to.contain('"text-only"');
    expect(h.client.received.some((m) => m.method === 'turn/started')).to.equal(false);
    expect(h.mock.requests).to.have.length(0);
  });

  it('an image steered into a running turn of a text-only model is refused the same way', async () => {
    const h = await startTurnHarness(
      [
        { output: [{ type: 'function_call', name: 'exec_command', callId: 'call-park', arguments: JSON.stringify({ cmd: 'sleep 0' }) }] },
        { output: [{ type: 'message', text: 'Done.' }] },
      ],
      { config: 'model = "text-only"\n[models.text-only]\ninput_modalities = ["text"]\n' },
    );
    const { threadId } = await startThread(h, { approvalPolicy: 'untrusted', sandbox: 'danger-full-access' });
    const { turnId } = await startTurn(h, threadId, [text('Run it')]);
    const approval = await serverRequest(h, 'item/commandExecution/requestApproval');
    const image = { type: 'localImage', path: '/tmp/nothing.png' };
    const steered = await h.client.request('turn/steer', { threadId, input: [image], expectedTurnId: turnId });
    expect(errorOf(steered)).to.include({ code: -32602 });
    expect(errorOf(steered).data.kind).to.equal('unsupportedInputModality');
    const started = await h.client.request('turn/start', { threadId, input: [image] });
    expect(errorOf(started).data.kind).to.equal('unsupportedInputModality');
    answer(h, approval, { decision: 'accept' });
    await turnCompleted(h, turnId);
    const input = JSON.stringify(h.mock.requests[1]!.body.input);
    expect(input).to.not.contain('input_image');
  });
});
