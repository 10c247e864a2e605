import { expect } from 'chai';
import { rolloutLines } from '../support/turnHarness.js';
import { cleanupTurnHarnesses, errorOf, resultOf, startTurn, startTurnHarness, text, turnCompleted } from '../support/turnHarness.js';

type Thread = { id: string; path: string; preview: string; turns: unknown[] };
type Body = { input: Array<Record<string, unknown>> };

// As Codex Cloud sends it: Responses API items, the tool output bare (the schema's `{body}` form
// is taken too, for the second call).
const HISTORY = [
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Earlier question' }] },
  { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Earlier answer' }] },
  { type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls"}', call_id: 'call-h1' },
  { type: 'function_call_output', call_id: 'call-h1', output: 'a.txt' },
  { type: 'function_call', name: 'exec_command', arguments: '{"cmd":"pwd"}', call_id: 'call-h2' },
  { type: 'function_call_output', call_id: 'call-h2', output: { body: '/p' } },
];
const AS_WRITTEN = HISTORY.map((item) => (item.type === 'function_call_output' ? { ...item, output: (item.output as { body?: string }).body ?? item.output } : item));

describe('thread/resume with history (experimental; SPEC §4.3)', () => {
  afterEach(cleanupTurnHarnesses);

  it('starts a new thread of the given items, written at once, and the next turn sends them first', async () => {
    const h = await startTurnHarness([{ output: [{ type: 'message', text: 'next reply' }] }], { capabilities: { experimentalApi: true } });
    const claimed = '00000000-0000-7000-8000-000000000001';
    const resumed = resultOf<{ thread: Thread; model: string }>(await h.client.request('thread/resume', { threadId: claimed, cwd: h.cwd, history: HISTORY }));
    const thread = resumed.thread;
    expect(thread.id).to.not.equal(claimed);
    expect(thread).to.deep.include({ preview: 'Earlier question', turns: [] });
    expect(resumed.model).to.equal('mock-model');

    const lines = rolloutLines(thread.path);
    expect(lines[0]!.type).to.equal('session_meta');
    expect(lines[0]!.payload).to.include({ id: thread.id }).and.not.have.property('forked_from_id');
    expect(lines.slice(1, 1 + HISTORY.length).map((l) => l.payload)).to.deep.equal(AS_WRITTEN);
    expect(lines.slice(1 + HISTORY.length).map((l) => l.payload.role)).to.include('developer');

    const { turnId } = await startTurn(h, thread.id, [text('Next')]);
    await turnCompleted(h, turnId);
    const input = (h.mock.requests[0]!.body as Body).input;
    expect(input.slice(0, HISTORY.length)).to.deep.equal(AS_WRITTEN);
    expect(input.at(-1)).to.deep.include({ type: 'message', role: 'user' });

    const listed = resultOf<{ data: Thread[] }>(await h.client.request('thread/list', {})).data;
    expect(listed.map((t) => [t.id, t.preview])).to.deep.equal([[thread.id, 'Next']]);
    const read = resultOf<{ thread: Thread }>(await h.client.request('thread/read', { threadId: thread.id, includeTurns: true })).thread;
    expect(read.preview).to.equal('Earlier question');
    expect(read.turns).to.have.length(1);
    expect(h.client.received.some((m) => m.method === 'thread/started')).to.equal(false);
    expect(resultOf<{ data: string[] }>(await h.client.request('thread/loaded/list', {})).data).to.deep.equal([thread.id]);
  });

  it('refuses an empty history, and history without the experimental capability', async () => {
    const h = await startTurnHarness([], { capabilities: { experimentalApi: true } });
    expect(errorOf(await h.client.request('thread/resume', { threadId: 'x', history: [] })).message).to.equal('history must not be empty');
    const stable = await startTurnHarness([]);
    expect(errorOf(await stable.client.request('thread/resume', { threadId: 'x', history: HISTORY })).message).to.equal(
      'thread/resume.history requires experimentalApi capability',
    );
  });
});
