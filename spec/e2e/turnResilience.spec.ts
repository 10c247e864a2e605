import { expect } from 'chai';
import { appendFileSync, existsSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import type { MockResponse } from '../support/mockResponses.js';
import { RpcClient, type Message } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';
import { between, cleanupTurnHarnesses, resultOf, rolloutLines, serveAgain, startThread, startTurn, startTurnHarness, text, turnCompleted, turnCompletedOn } from '../support/turnHarness.js';

type Body = { instructions: string; input: Array<{ type: string; role?: string; content?: Array<{ text?: string }> }> };
const reply = (value: string): MockResponse => ({ output: [{ type: 'message', text: value }] });
/** User texts of a model request, without the `<…>` context wrappers. */
const userTexts = (body: Body): string[] =>
  body.input.filter((i) => i.type === 'message' && i.role === 'user').map((i) => i.content?.[0]?.text ?? '').filter((t) => !t.startsWith('<'));
const assistantTexts = (body: Body): string[] => body.input.filter((i) => i.type === 'message' && i.role === 'assistant').map((i) => i.content?.[0]?.text ?? '');

/**
 * Raw events of one short reply whose last delta, `output_item.done` and `response.completed` all
 * travel in the same chunk (the mock writes a scripted body in a single write).
 */
const coalescedReply = (n: number): MockResponse => {
  const id = `msg_${n}`;
  const responseId = `resp_c${n}`;
  const full = `reply ${n} done`;
  return {
    events: [
      { type: 'response.created', response: { id: responseId, object: 'response', status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { type: 'message', id, role: 'assistant', status: 'in_progress', content: [] } },
      { type: 'response.output_text.delta', item_id: id, output_index: 0, content_index: 0, delta: `reply ${n}` },
      { type: 'response.output_text.delta', item_id: id, output_index: 0, content_index: 0, delta: ' done' },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: full, annotations: [] }] } },
      {
        type: 'response.completed',
        response: { id: responseId, object: 'response', status: 'completed', output: [], usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 12 } },
      },
    ],
    end: 'eof',
  };
};

const turnStatus = (m: Message): string => (m.params as { turn: { status: string } }).turn.status;

describe('turn resilience (stdio/websocket, mock model)', () => {
  afterEach(cleanupTurnHarnesses);

  it('200 sequential turns whose response.completed shares a chunk with the last delta all complete with their full text', async function () {
    this.timeout(60_000);
    const N = 200;
    const h = await startTurnHarness(Array.from({ length: N }, (_, n) => coalescedReply(n)));
    const { threadId } = await startThread(h);
    const failures: string[] = [];
    for (let n = 0; n < N; n++) {
      const { response, turnId } = await startTurn(h, threadId, [text(`q${n}`)]);
      const completed = await turnCompleted(h, turnId);
      if (turnStatus(completed) !== 'completed') failures.push(`turn ${n}: status ${turnStatus(completed)}`);
      const seen = between(h, response, completed);
      const agentDone = seen.filter((m) => m.method === 'item/completed' && (m.params as { item: { type: string } }).item.type === 'agentMessage');
      const texts = agentDone.map((m) => (m.params as { item: { text: string } }).item.text);
      if (JSON.stringify(texts) !== JSON.stringify([`reply ${n} done`])) failures.push(`turn ${n}: agent messages ${JSON.stringify(texts)}`);
      const deltas = seen.filter((m) => m.method === 'item/agentMessage/delta').map((m) => (m.params as { delta: string }).delta).join('');
      if (deltas !== `reply ${n} done`) failures.push(`turn ${n}: deltas ${JSON.stringify(deltas)}`);
    }
    expect(failures).to.deep.equal([]);
    expect(h.mock.requests).to.have.length(N);
  });

  it('thread/rollback drops the last turn from the next model request, keeping the first', async () => {
    const h = await startTurnHarness([reply('Answer one'), reply('Answer two'), reply('Answer three')]);
    const { threadId } = await startThread(h);
    for (const q of ['First question', 'Second question']) {
      const { turnId } = await startTurn(h, threadId, [text(q)]);
      expect(turnStatus(await turnCompleted(h, turnId))).to.equal('completed');
    }
    const answer = await h.client.request('thread/rollback', { threadId, numTurns: 1 });
    const rolled = resultOf<{ thread: { turns: Array<{ items: Array<{ type: string }> }>; path: string } }>(answer);
    expect(rolled.thread.turns).to.have.length(1);
    // As the reference: the usage re-estimated for the shorter history, reported before the answer
    // and persisted just before the marker.
    const before = h.client.received.slice(0, h.client.received.indexOf(answer));
    const usage = before.filter((m) => m.method === 'thread/tokenUsage/updated').at(-1)?.params as { tokenUsage: { last: { totalTokens: number; inputTokens: number }; total: { totalTokens: number } } };
    expect(usage.tokenUsage.last.inputTokens).to.equal(0);
    expect(usage.tokenUsage.last.totalTokens).to.be.greaterThan(0);
    expect(usage.tokenUsage.total.totalTokens).to.equal(220);
    expect(before.at(-1)?.method).to.equal('account/rateLimits/updated');
    const tail = rolloutLines(rolled.thread.path).slice(-2).map((l) => l.payload.type);
    expect(tail).to.deep.equal(['token_count', 'thread_rolled_back']);
    const third = await startTurn(h, threadId, [text('Third question')]);
    expect(turnStatus(await turnCompleted(h, third.turnId))).to.equal('completed');
    const body = h.mock.requests[2]!.body as Body;
    expect(userTexts(body)).to.deep.equal(['First question', 'Third question']);
    expect(assistantTexts(body)).to.deep.equal(['Answer one']);
    expect(JSON.stringify(body.input)).to.not.include('Second question').and.to.not.include('Answer two');
  });

  it('a turn started right behind a rollback is not in the rollback’s answer', async () => {
    const h = await startTurnHarness([reply('one'), reply('two'), { output: [{ type: 'message', text: 'three' }], end: 'hold' }]);
    const { threadId } = await startThread(h);
    for (const q of ['First', 'Second']) {
      const { turnId } = await startTurn(h, threadId, [text(q)]);
      await turnCompleted(h, turnId);
    }
    const [rolled, started] = await Promise.all([
      h.client.request('thread/rollback', { threadId, numTurns: 1 }),
      h.client.request('turn/start', { threadId, input: [text('Third')] }),
    ]);
    const turns = resultOf<{ thread: { turns: Array<{ id: string }> } }>(rolled).thread.turns;
    expect(turns).to.have.length(1);
    expect(turns.map((t) => t.id)).to.not.include(resultOf<{ turn: { id: string } }>(started).turn.id);
    resultOf(await h.client.request('turn/interrupt', { threadId, turnId: resultOf<{ turn: { id: string } }>(started).turn.id }));
  });

  it('a resumed thread (new process) and its fork keep the base instructions of the first request', async () => {
    const h = await startTurnHarness([reply('one'), reply('two'), reply('three')]);
    const { threadId } = await startThread(h);
    const first = await startTurn(h, threadId, [text('Hello')]);
    await turnCompleted(h, first.turnId);
    h.client.close();
    await h.server.exited;

    const { server, client } = await serveAgain(h);
    const done = (turnId: string) => turnCompletedOn(client, turnId);
    resultOf(await client.request('thread/resume', { threadId }));
    const resumedTurn = resultOf<{ turn: { id: string } }>(await client.request('turn/start', { threadId, input: [text('Again')] }));
    expect(turnStatus(await done(resumedTurn.turn.id))).to.equal('completed');

    const fork = resultOf<{ thread: { id: string } }>(await client.request('thread/fork', { threadId }));
    expect(fork.thread.id).to.not.equal(threadId);
    const forkTurn = resultOf<{ turn: { id: string } }>(await client.request('turn/start', { threadId: fork.thread.id, input: [text('On the fork')] }));
    expect(turnStatus(await done(forkTurn.turn.id))).to.equal('completed');

    const [a, b, c] = [0, 1, 2].map((i) => h.mock.requests[i]!.body as Body);
    expect(a.instructions).to.be.a('string').that.is.not.empty;
    expect(b.instructions).to.equal(a.instructions);
    expect(c.instructions).to.equal(a.instructions);
    expect(userTexts(c)).to.deep.equal(['Hello', 'Again', 'On the fork']);
    client.close();
    await server.exited;
  });

  it('a thread resumed in a new process sends its large items, read back from the rollout, byte for byte', async () => {
    const planArguments = JSON.stringify({ plan: [{ step: `Check ${'s'.repeat(3000)}`, status: 'pending' }] });
    const h = await startTurnHarness([
      { output: [{ type: 'reasoning', summary: ['Planning'], encryptedContent: 'E'.repeat(4000) }, { type: 'function_call', name: 'update_plan', arguments: planArguments, callId: 'call-plan' }] },
      reply(`Done: ${'m'.repeat(5000)}`),
      reply('Again, done.'),
    ]);
    const { threadId, path } = await startThread(h);
    const first = await startTurn(h, threadId, [text('Plan it')]);
    expect(turnStatus(await turnCompleted(h, first.turnId))).to.equal('completed');
    h.client.close();
    await h.server.exited;

    const { server, client } = await serveAgain(h);
    const done = (turnId: string) => turnCompletedOn(client, turnId);
    resultOf(await client.request('thread/resume', { threadId }));
    const again = resultOf<{ turn: { id: string } }>(await client.request('turn/start', { threadId, input: [text('Again')] }));
    expect(turnStatus(await done(again.turn.id))).to.equal('completed');

    // The first process's last request held the turn up to the tool output; the resumed one sends
    // the same items (most of them now stored in the file), then the final answer.
    const before = (h.mock.requests[1]!.body as Body).input;
    const after = (h.mock.requests[2]!.body as Body).input;
    expect(JSON.stringify(before)).to.include('E'.repeat(4000)).and.to.include('s'.repeat(3000));
    expect(after.slice(0, before.length)).to.deep.equal(before);
    expect(assistantTexts({ ...(h.mock.requests[2]!.body as Body), input: after.slice(before.length) })[0]).to.equal(`Done: ${'m'.repeat(5000)}`);

    // A rollout cut under the loaded thread: the next turn fails with a clear error, the server goes on.
    truncateSync(path, readFileSync(path, 'utf8').indexOf('\n') + 1);
    const cut = resultOf<{ turn: { id: string } }>(await client.request('turn/start', { threadId, input: [text('After the cut')] }));
    const failed = await done(cut.turn.id);
    expect(turnStatus(failed)).to.equal('failed');
    expect(JSON.stringify((failed.params as { turn: { error: unknown } }).turn.error)).to.include('changed under a loaded thread');
    expect(h.mock.requests).to.have.length(3);
    resultOf(await client.request('thread/loaded/list', {}));
    client.close();
    await server.exited;
  });

  it('a rollout cut mid-line by a crash resumes, and the next turn is read back whole', async () => {
    const h = await startTurnHarness([reply('one'), reply('two')]);
    const { threadId, path } = await startThread(h);
    const first = await startTurn(h, threadId, [text('Before the crash')]);
    expect(turnStatus(await turnCompleted(h, first.turnId))).to.equal('completed');
    h.client.close();
    await h.server.exited;
    appendFileSync(path, '{"timestamp":"2026-02-12T19:27:11.532Z","type":"event_msg","payload":{"type":"agent_mess');

    const { server, client } = await serveAgain(h);
    resultOf(await client.request('thread/resume', { threadId }));
    const again = resultOf<{ turn: { id: string } }>(await client.request('turn/start', { threadId, input: [text('After the crash')] }));
    await turnCompletedOn(client, again.turn.id);
    client.close();
    await server.exited;

    const { server: reader, client: readClient } = await serveAgain(h);
    const read = resultOf<{ thread: { turns: Array<{ status: string; items: Array<{ type: string; content?: Array<{ text: string }>; text?: string }> }> } }>(
      await readClient.request('thread/read', { threadId, includeTurns: true }),
    );
    expect(read.thread.turns.map((t) => t.status)).to.deep.equal(['completed', 'completed']);
    expect(read.thread.turns.map((t) => t.items.find((i) => i.type === 'userMessage')?.content?.[0]?.text)).to.deep.equal(['Before the crash', 'After the crash']);
    expect(read.thread.turns[1]!.items.find((i) => i.type === 'agentMessage')?.text).to.equal('two');
    readClient.close();
    await reader.exited;
  });

  it('a loaded thread whose rollout was deleted fails its next turn with the error, and the server goes on', async () => {
    const h = await startTurnHarness([reply('one'), reply('two')]);
    const { threadId, path } = await startThread(h);
    const first = await startTurn(h, threadId, [text('First')]);
    expect(turnStatus(await turnCompleted(h, first.turnId))).to.equal('completed');
    h.client.close();
    await h.server.exited;
    const { server, client } = await serveAgain(h);
    resultOf(await client.request('thread/resume', { threadId }));
    rmSync(path);
    const second = resultOf<{ turn: { id: string } }>(await client.request('turn/start', { threadId, input: [text('Second')] }));
    const completed = await turnCompletedOn(client, second.turn.id);
    const turn = (completed.params as { turn: { status: string; error: { message: string } } }).turn;
    expect(turn.status).to.equal('failed');
    expect(turn.error.message).to.match(/^ENOENT: no such file or directory, open '.*\.jsonl'$/);
    expect(existsSync(path)).to.equal(false);
    resultOf(await client.request('thread/loaded/list', {}));
    client.close();
    await server.exited;
  });

  it('two clients resuming the same thread at once share one loaded thread and both see its turns', async () => {
    const h = await startTurnHarness([reply('first'), reply('second')]);
    const { threadId } = await startThread(h);
    const first = await startTurn(h, threadId, [text('Hello')]);
    await turnCompleted(h, first.turnId);
    h.client.close();
    await h.server.exited;
    const server = ServerProcess.start(['app-server', '--listen', 'ws://127.0.0.1:0'], { codexHome: h.codexHome });
    const [, url] = await server.waitForStderr(/listening on: (ws:\/\/127\.0\.0\.1:\d+)/);
    const [a, b] = await Promise.all([RpcClient.websocket(url!), RpcClient.websocket(url!)]);
    await Promise.all([a.initialize(), b.initialize()]);
    const resumed = await Promise.all([a.request('thread/resume', { threadId }), b.request('thread/resume', { threadId })]);
    resumed.forEach((m) => resultOf(m));
    expect(resultOf<{ data: string[] }>(await a.request('thread/loaded/list', {})).data).to.deep.equal([threadId]);
    const turn = resultOf<{ turn: { id: string } }>(await b.request('turn/start', { threadId, input: [text('Again')] }));
    await turnCompletedOn(b, turn.turn.id);
    // Notifications go to every subscriber in one pass: A's was sent before B's arrived.
    resultOf(await a.request('thread/loaded/list', {}));
    expect(a.received.some((m) => m.method === 'turn/completed' && (m.params as { turn: { id: string } }).turn.id === turn.turn.id)).to.equal(true);
    a.close();
    b.close();
  });

  it('a websocket client that disconnects mid-turn leaves a resumable thread for the next client', async () => {
    const h = await startTurnHarness([{ output: [{ type: 'message', text: 'partial' }], end: 'hold' }, reply('after reconnect')]);
    // The stdio server only prepared CODEX_HOME; the websocket server serves the same home.
    h.client.close();
    await h.server.exited;
    const server = ServerProcess.start(['app-server', '--listen', 'ws://127.0.0.1:0'], { codexHome: h.codexHome });
    const [, url] = await server.waitForStderr(/listening on: (ws:\/\/127\.0\.0\.1:\d+)/);
    const first = await RpcClient.websocket(url!);
    await first.initialize();
    const started = resultOf<{ thread: { id: string } }>(await first.request('thread/start', { cwd: h.cwd }));
    const threadId = started.thread.id;
    resultOf(await first.request('turn/start', { threadId, input: [text('Long task')] }));
    await h.mock.request(0);
    first.socket.terminate();
    await first.closed;

    const second = await RpcClient.websocket(url!);
    await second.initialize();
    const resumed = resultOf<{ thread: { id: string; turns: Array<{ items: Array<{ type: string; content?: Array<{ text: string }> }> }> } }>(
      await second.request('thread/resume', { threadId }),
    );
    expect(resumed.thread.id).to.equal(threadId);
    const read = resultOf<{ thread: { turns: Array<{ items: Array<{ type: string; content?: Array<{ text: string }> }> }> } }>(
      await second.request('thread/read', { threadId, includeTurns: true }),
    );
    const userMessages = read.thread.turns.flatMap((t) => t.items).filter((i) => i.type === 'userMessage');
    expect(userMessages.map((i) => i.content?.[0]?.text)).to.deep.equal(['Long task']);
    second.close();
    expect(server.child.exitCode).to.equal(null);
  });

  it('a dynamic tool call whose only client disconnects fails for the model, and the turn goes on', async () => {
    const h = await startTurnHarness([
      { output: [{ type: 'function_call', name: 'lookup', callId: 'call-dyn', arguments: '{"q":"x"}' }] },
      reply('Carried on without the tool.'),
    ]);
    h.client.close();
    await h.server.exited;
    const server = ServerProcess.start(['app-server', '--listen', 'ws://127.0.0.1:0'], { codexHome: h.codexHome });
    const [, url] = await server.waitForStderr(/listening on: (ws:\/\/127\.0\.0\.1:\d+)/);
    const client = await RpcClient.websocket(url!);
    await client.initialize({ experimentalApi: true });
    const dynamicTools = [{ name: 'lookup', description: 'Look something up', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }];
    const { thread } = resultOf<{ thread: { id: string } }>(await client.request('thread/start', { cwd: h.cwd, dynamicTools }));
    resultOf(await client.request('turn/start', { threadId: thread.id, input: [text('Use the tool')] }));
    await client.waitFor((m) => m.method === 'item/tool/call');
    client.socket.terminate();
    const followUp = (await h.mock.request(1)).body as { input: Array<{ type: string; call_id?: string; output?: unknown }> };
    const output = followUp.input.find((i) => i.type === 'function_call_output' && i.call_id === 'call-dyn');
    expect(JSON.stringify(output?.output)).to.contain('dynamic tool request failed');
    expect(server.child.exitCode).to.equal(null);
  });

  it('write_stdin writes to a command the model left running, and reads its answer', async () => {
    const sessionOf = (body: { input: Array<{ type: string; output?: unknown }> }): number => {
      const output = JSON.stringify(body.input.filter((i) => i.type === 'function_call_output').at(-1)?.output ?? '');
      return Number(/session ID (\d+)/.exec(output)?.[1]);
    };
    const h = await startTurnHarness([
      {
        output: [
          {
            type: 'function_call',
            name: 'exec_command',
            callId: 'call-run',
            arguments: JSON.stringify({ cmd: 'read line; echo "got $line"', tty: true, yield_time_ms: 500 }),
          },
        ],
      },
      {
        respond: (request) => ({
          output: [{ type: 'function_call', name: 'write_stdin', callId: 'call-write', arguments: JSON.stringify({ session_id: sessionOf(request.body), chars: 'hello\n', yield_time_ms: 2000 }) }],
        }),
      },
      reply('Done.'),
    ], { config: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"\n' });
    const { threadId } = await startThread(h, { cwd: h.cwd });
    const { turnId } = await startTurn(h, threadId, [text('Talk to a program')]);
    await turnCompleted(h, turnId);
    const running = sessionOf((await h.mock.request(1)).body);
    expect(running).to.be.greaterThan(0);
    const last = JSON.stringify((await h.mock.request(2)).body.input.filter((i: { type: string }) => i.type === 'function_call_output').at(-1));
    expect(last).to.contain('got hello');
  });

  it('a stream cut after a delta is retried (error willRetry true) and the turn completes', async () => {
    const h = await startTurnHarness([{ output: [{ type: 'message', id: 'msg_cut', text: 'Half an ans', chunks: ['Half', ' an ans'] }], end: 'eof' }, reply('Whole answer.')], {
      provider: { stream_max_retries: 1 },
    });
    const { threadId } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [text('Cut me')]);
    const completed = await turnCompleted(h, turnId);
    const errors = between(h, response, completed).filter((m) => m.method === 'error');
    expect(errors.map((m) => (m.params as { willRetry: boolean }).willRetry)).to.deep.equal([true]);
    expect(completed.params).to.deep.equal({ threadId, turn: { id: turnId, items: [], status: 'completed', error: null } });
    expect(h.mock.requests).to.have.length(2);
    expect(h.mock.requests[1]!.body).to.deep.equal(h.mock.requests[0]!.body);
  });

  it('a stream cut after a delta with stream_max_retries = 0 fails the turn (error willRetry false); the server keeps serving', async () => {
    const h = await startTurnHarness([{ output: [{ type: 'message', id: 'msg_cut', text: 'Half an ans', chunks: ['Half', ' an ans'] }], end: 'eof' }, reply('Next.')], {
      provider: { stream_max_retries: 0 },
    });
    const { threadId } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [text('Cut me')]);
    const completed = await turnCompleted(h, turnId);
    const errors = between(h, response, completed).filter((m) => m.method === 'error');
    expect(errors.map((m) => (m.params as { willRetry: boolean }).willRetry)).to.deep.equal([false]);
    expect(turnStatus(completed)).to.equal('failed');
    expect(h.mock.requests).to.have.length(1);
    const next = await startTurn(h, threadId, [text('Again')]);
    expect(turnStatus(await turnCompleted(h, next.turnId))).to.equal('completed');
  });
});
