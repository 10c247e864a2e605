import { expect } from 'chai';
import { cleanupTurnHarnesses, notificationsOf, rolloutLines, startThread, startTurn, startTurnHarness, text, turnCompleted } from '../support/turnHarness.js';

const inputTexts = (body: { input: Array<{ type: string; content?: Array<{ text?: string }> }> }): string[] =>
  body.input.flatMap((item) => (item.type === 'message' ? (item.content ?? []).map((c) => c.text ?? '') : []));

describe('compaction (e2e)', () => {
  afterEach(cleanupTurnHarnesses);

  it('thread/compact/start summarizes the history; the next turn sends the compacted history', async () => {
    const h = await startTurnHarness([
      { output: [{ type: 'message', text: 'First answer.' }] },
      { output: [{ type: 'message', text: 'SUMMARY: the user asked a first question.' }] },
      { output: [{ type: 'message', text: 'Second answer.' }] },
    ]);
    const { threadId, path } = await startThread(h, { cwd: h.cwd });
    const first = await startTurn(h, threadId, [text('FIRST question')]);
    await turnCompleted(h, first.turnId);
    const response = await h.client.request('thread/compact/start', { threadId });
    expect(response.result).to.deep.equal({});
    const compacted = await h.client.waitFor((m) => m.method === 'thread/compacted');
    const turnId = (compacted.params as { turnId: string }).turnId;
    await turnCompleted(h, turnId);
    const compactRequest = (await h.mock.request(1)).body;
    expect(compactRequest.tools).to.deep.equal([]);
    expect(inputTexts(compactRequest).at(-1)).to.match(/^Summarize this conversation/);
    const second = await startTurn(h, threadId, [text('SECOND question')]);
    await turnCompleted(h, second.turnId);
    const next = inputTexts((await h.mock.request(2)).body);
    expect(next.some((t) => t.includes('SUMMARY: the user asked a first question.'))).to.equal(true);
    expect(next).to.not.include('First answer.');
    expect(next).to.include('FIRST question');
    expect(next.at(-1)).to.equal('SECOND question');
    const types = rolloutLines(path).map((l) => (l.type === 'event_msg' ? `event:${l.payload.type}` : l.type));
    expect(types).to.include.members(['compacted', 'event:context_compacted']);
  });

  it('compacts automatically before a request once the last one reached the model limit', async () => {
    const big = { input_tokens: 900, input_tokens_details: { cached_tokens: 0 }, output_tokens: 100, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 1000 };
    const h = await startTurnHarness(
      [
        { output: [{ type: 'message', text: 'A long first answer.' }], usage: big },
        { output: [{ type: 'message', text: 'SUMMARY of the first turn.' }] },
        { output: [{ type: 'message', text: 'Answer after auto-compaction.' }] },
      ],
      { config: '[models.mock-model]\nauto_compact_token_limit = 500\n' },
    );
    const { threadId } = await startThread(h, { cwd: h.cwd });
    const first = await startTurn(h, threadId, [text('FIRST')]);
    await turnCompleted(h, first.turnId);
    const second = await startTurn(h, threadId, [text('SECOND')]);
    const completed = await turnCompleted(h, second.turnId);
    expect((completed.params as { turn: { status: string } }).turn.status).to.equal('completed');
    expect(inputTexts((await h.mock.request(1)).body).at(-1)).to.match(/^Summarize this conversation/);
    const after = inputTexts((await h.mock.request(2)).body);
    expect(after.some((t) => t.includes('SUMMARY of the first turn.'))).to.equal(true);
    expect(after).to.not.include('A long first answer.');
    const inTurn = notificationsOf(h.client.received).filter((m) => (m.params as { turnId?: string } | undefined)?.turnId === second.turnId);
    const methods = inTurn.map((m) => `${m.method}${m.method?.startsWith('item/') ? `:${(m.params as { item?: { type: string } }).item?.type ?? ''}` : ''}`);
    expect(methods).to.include.members(['item/started:contextCompaction', 'item/completed:contextCompaction', 'thread/compacted']);
    expect(methods.indexOf('item/completed:contextCompaction')).to.be.lessThan(methods.indexOf('item/started:agentMessage'));
  });
});
