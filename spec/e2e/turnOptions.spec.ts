import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  between,
  cleanupTurnHarnesses,
  errorOf,
  resultOf,
  rolloutLines,
  serveAgain,
  startThread,
  startTurn,
  startTurnHarness,
  text,
  turnCompleted,
  turnCompletedOn,
} from '../support/turnHarness.js';

const reply = (value: string) => ({ output: [{ type: 'message' as const, text: value }] });
type Body = { model: string; text?: { format?: unknown }; input: Array<{ type: string; role?: string; content?: Array<{ text?: string }> }> };
const userTexts = (body: Body): string[] =>
  body.input.filter((i) => i.type === 'message' && i.role === 'user').map((i) => i.content?.[0]?.text ?? '').filter((t) => !t.startsWith('<'));
const assistantTexts = (body: Body): string[] => body.input.filter((i) => i.type === 'message' && i.role === 'assistant').map((i) => i.content?.[0]?.text ?? '');

describe('turn options and recovery (stdio, mock model)', () => {
  afterEach(cleanupTurnHarnesses);

  it('AGENTS.md from the repository root down to the cwd opens the context and is recorded in each turn_context', async () => {
    const h = await startTurnHarness([reply('ok')]);
    mkdirSync(join(h.cwd, '.git'));
    writeFileSync(join(h.cwd, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(h.cwd, 'AGENTS.md'), 'Run the tests before you answer.\n');
    mkdirSync(join(h.cwd, 'pkg'));
    writeFileSync(join(h.cwd, 'pkg', 'AGENTS.md'), 'This package is written in Rust.\n');
    const { threadId, path } = await startThread(h, { cwd: join(h.cwd, 'pkg') });
    const { turnId } = await startTurn(h, threadId, [text('Hi')]);
    await turnCompleted(h, turnId);
    const instructions = 'Run the tests before you answer.\n\nThis package is written in Rust.';
    const input = (h.mock.requests[0]!.body as Body).input;
    const agents = input.find((i) => i.role === 'user' && (i.content?.[0]?.text ?? '').startsWith('# AGENTS.md instructions for '));
    expect(agents?.content?.[0]?.text).to.include(instructions);
    const turnContext = rolloutLines(path).find((l) => l.type === 'turn_context')!.payload;
    expect(turnContext.user_instructions).to.equal(instructions);
    // The model's truncation policy (the fallback's for an unknown model), as the reference records it.
    expect(turnContext.truncation_policy).to.deep.equal({ mode: 'bytes', limit: 10000 });
  });

  it('overrides stick for later turns; outputSchema applies to its own turn only', async () => {
    const h = await startTurnHarness([reply('one'), reply('two')]);
    const { threadId } = await startThread(h);
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    const first = await startTurn(h, threadId, [text('First')], { model: 'other-model', outputSchema: schema });
    await turnCompleted(h, first.turnId);
    const second = await startTurn(h, threadId, [text('Second')]);
    await turnCompleted(h, second.turnId);
    const [a, b] = [h.mock.requests[0]!.body as Body, h.mock.requests[1]!.body as Body];
    expect(a.model).to.equal('other-model');
    expect(a.text?.format).to.deep.equal({ type: 'json_schema', strict: true, schema, name: 'codex_output_schema' });
    expect(b.model).to.equal('other-model');
    expect(b.text?.format).to.equal(undefined);
    // The second request carries the whole conversation so far.
    expect(userTexts(b)).to.deep.equal(['First', 'Second']);
    expect(assistantTexts(b)).to.deep.equal(['one']);
  });

  it('a reasoning model gets effort and summary; its encrypted reasoning goes back in the next request', async () => {
    const h = await startTurnHarness(
      [
        { output: [{ type: 'reasoning', id: 'rs_a', summary: ['Pondering'], encryptedContent: 'ENC123' }, { type: 'message', text: 'Answer one' }] },
        reply('Answer two'),
      ],
      { config: '[models.mock-model]\nsupports_reasoning_summaries = true\n' },
    );
    const { threadId } = await startThread(h);
    const first = await startTurn(h, threadId, [text('Think hard')], { effort: 'high', summary: 'concise' });
    await turnCompleted(h, first.turnId);
    const second = await startTurn(h, threadId, [text('Again')]);
    await turnCompleted(h, second.turnId);
    const [a, b] = [h.mock.requests[0]!.body, h.mock.requests[1]!.body];
    expect(a.reasoning).to.deep.equal({ effort: 'high', summary: 'concise' });
    expect(a.include).to.deep.equal(['reasoning.encrypted_content']);
    expect(b.reasoning).to.deep.equal({ effort: 'high', summary: 'concise' });
    const reasoning = (b.input as Array<Record<string, unknown>>).filter((i) => i.type === 'reasoning');
    expect(reasoning).to.have.length(1);
    expect(reasoning[0]).to.deep.include({ encrypted_content: 'ENC123', summary: [{ type: 'summary_text', text: 'Pondering' }] });
  });

  it('a dropped stream is retried with an error notification (willRetry true); the turn still completes', async () => {
    const h = await startTurnHarness([{ events: [], end: 'eof' }, { output: [{ type: 'message', id: 'msg-retry', text: 'Second try.' }] }], {
      provider: { stream_max_retries: 1 },
    });
    const { threadId } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [text('Flaky')]);
    const completed = await turnCompleted(h, turnId);
    const errors = between(h, response, completed).filter((m) => m.method === 'error');
    expect(errors.map((m) => m.params)).to.deep.equal([
      {
        error: { message: 'Reconnecting... 1/1', codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } }, additionalDetails: 'stream disconnected before completion: stream closed before response.completed' },
        willRetry: true,
        threadId,
        turnId,
      },
    ]);
    expect(completed.params).to.deep.equal({ threadId, turn: { id: turnId, items: [], status: 'completed', error: null } });
    expect(h.mock.requests).to.have.length(2);
    expect(h.mock.requests[1]!.body).to.deep.equal(h.mock.requests[0]!.body);
  });

  it('turn/start on a thread that is not loaded fails with threadNotFound; the server stays up', async () => {
    const h = await startTurnHarness([]);
    const missing = await h.client.request('turn/start', { threadId: '01a20f8b-0000-7000-8000-000000000000', input: [text('hi')] });
    expect(errorOf(missing).data.kind).to.equal('threadNotFound');
    const bad = await h.client.request('turn/start', { threadId: 'x', input: 'not an array' });
    expect(errorOf(bad).code).to.equal(-32602);
    expect(resultOf(await h.client.request('thread/loaded/list', {}))).to.deep.include({ data: [] });
  });

  it('collaborationMode needs the experimental API', async () => {
    const h = await startTurnHarness([]);
    const { threadId } = await startThread(h);
    const answer = await h.client.request('turn/start', {
      threadId,
      input: [text('plan')],
      collaborationMode: { mode: 'plan', settings: { model: 'mock-model', reasoning_effort: null, developer_instructions: null } },
    });
    expect(errorOf(answer).data.kind).to.equal('experimentalApiRequired');
    expect(h.mock.requests).to.have.length(0);
  });

  it('a thread resumed by a new server process continues the conversation from its rollout', async () => {
    const h = await startTurnHarness([reply('Nice to meet you.'), reply('You said your name is Ada.')]);
    const { threadId } = await startThread(h);
    const first = await startTurn(h, threadId, [text('My name is Ada')]);
    await turnCompleted(h, first.turnId);
    // The first server exits (stdin closed); its CODEX_HOME stays until the test ends.
    h.client.close();
    await h.server.exited;
    const { client } = await serveAgain(h);
    const resumed = resultOf<{ thread: { id: string; turns: Array<{ id: string; status: string }> } }>(await client.request('thread/resume', { threadId }));
    expect(resumed.thread.turns.map((t) => [t.id, t.status])).to.deep.equal([[first.turnId, 'completed']]);
    const started = resultOf<{ turn: { id: string } }>(await client.request('turn/start', { threadId, input: [text('What is my name?')] }));
    const done = await turnCompletedOn(client, started.turn.id);
    expect((done.params as { turn: { status: string } }).turn.status).to.equal('completed');
    const body = h.mock.requests[1]!.body as Body;
    expect(userTexts(body)).to.deep.equal(['My name is Ada', 'What is my name?']);
    expect(assistantTexts(body)).to.deep.equal(['Nice to meet you.']);
    expect(h.mock.requests[1]!.headers.session_id).to.equal(threadId);
    const read = resultOf<{ thread: { turns: Array<{ items: Array<{ type: string }> }> } }>(await client.request('thread/read', { threadId, includeTurns: true }));
    expect(read.thread.turns.map((t) => t.items.map((i) => i.type))).to.deep.equal([
      ['userMessage', 'agentMessage'],
      ['userMessage', 'agentMessage'],
    ]);
  });
});
