import { expect } from 'chai';
import type { Message } from '../support/rpcClient.js';
import {
  answer,
  between,
  cleanupTurnHarnesses,
  errorOf,
  methodAndParams,
  referenceResult,
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

const PLAN_MODE = { mode: 'plan', settings: { model: 'mock-model', reasoning_effort: null, developer_instructions: null } };
const EXPERIMENTAL = { capabilities: { experimentalApi: true } };

const userItemId = (messages: readonly Message[], turnId: string): string =>
  (
    messages.find(
      (m) => m.method === 'item/started' && (m.params as { turnId: string; item: { type: string } }).turnId === turnId && (m.params as { item: { type: string } }).item.type === 'userMessage',
    )!.params as { item: { id: string } }
  ).item.id;

type Item = { type: string; id: string; [key: string]: unknown };
const itemsOf = (messages: readonly Message[], method: string): Item[] =>
  messages.filter((m) => m.method === method).map((m) => (m.params as { item: Item }).item);

describe('plan mode (stdio, mock model, experimentalApi)', () => {
  afterEach(cleanupTurnHarnesses);

  it('collaborationMode/list returns the Plan then the Default preset', async () => {
    const h = await startTurnHarness([], EXPERIMENTAL);
    const list = resultOf<{ data: Array<Record<string, unknown>> }>(await h.client.request('collaborationMode/list', {}));
    const reference = referenceResult('plan-mode', 2, {}) as { data: Array<Record<string, unknown>> };
    // rxagent writes its own instructions; everything else is the reference's.
    const withoutText = (data: Array<Record<string, unknown>>) => data.map(({ developer_instructions: _, ...rest }) => rest);
    expect(withoutText(list.data)).to.deep.equal(withoutText(reference.data));
    expect(list.data.map((m) => m.name)).to.deep.equal(['Plan', 'Default']);
    for (const mode of list.data) expect(mode.developer_instructions).to.be.a('string').that.is.not.empty;
    expect(list.data[0]!.developer_instructions).to.contain('<proposed_plan>');
    const gated = await startTurnHarness([]);
    expect(errorOf(await gated.client.request('collaborationMode/list', {})).data.kind).to.equal('experimentalApiRequired');
  });

  it('streams the plan item and the stripped agent message as the reference does; the mode sticks for the next turn', async () => {
    const h = await startTurnHarness(
      [
        {
          output: [
            {
              type: 'message',
              id: 'msg-plan-1',
              text: 'Here is my thinking.\n<proposed_plan>\n# Plan\n- step one\n- step two\n</proposed_plan>\nLet me know if this works.',
              chunks: ['Here is my thin', 'king.\n<prop', 'osed_plan>\n# Pl', 'an\n- step one\n- st', 'ep two\n</propos', 'ed_plan>\nLet me', ' know if this works.'],
            },
          ],
        },
        {
          output: [
            {
              type: 'message',
              id: 'msg-plan-2',
              text: 'Second turn.\n<proposed_plan>\n- only step\n</proposed_plan>\n',
              chunks: ['Second turn.\n<', 'proposed_plan>\n- only', ' step\n</', 'proposed_plan>\n'],
            },
          ],
        },
      ],
      EXPERIMENTAL,
    );
    const { threadId, path } = await startThread(h);
    const first = await startTurn(h, threadId, [{ type: 'text', text: 'Make a plan' }], { collaborationMode: PLAN_MODE });
    const firstDone = await turnCompleted(h, first.turnId);
    const second = await startTurn(h, threadId, [{ type: 'text', text: 'Again' }]);
    const secondDone = await turnCompleted(h, second.turnId);
    const received = h.client.received;

    const subs = {
      '<thread-1>': threadId,
      '<turn-1>': first.turnId,
      '<turn-2>': second.turnId,
      '<item-1>': userItemId(received, first.turnId),
      '<item-2>': userItemId(received, second.turnId),
    };
    expect(methodAndParams(between(h, first.response, firstDone))).to.deep.equal(referenceTurnNotifications('plan-mode', 4, subs));
    expect(methodAndParams(between(h, second.response, secondDone))).to.deep.equal(referenceTurnNotifications('plan-mode', 5, subs));

    // The model saw the plan-mode instructions once, and the unstripped message in history.
    const [req1, req2] = [h.mock.requests[0]!.body, h.mock.requests[1]!.body];
    const developer = (body: { input: Array<{ role?: string; content?: Array<{ text: string }> }> }) =>
      body.input.filter((i) => i.role === 'developer').map((i) => i.content![0]!.text);
    const planInstructions = developer(req1).filter((t) => t.includes('<proposed_plan>'));
    expect(planInstructions).to.have.length(1);
    expect(developer(req2).filter((t) => t.includes('<proposed_plan>'))).to.have.length(1);
    expect(req1.input.at(-1)).to.deep.equal({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Make a plan' }] });
    expect(req2.input.at(-2)).to.deep.include({ type: 'message', role: 'assistant' });
    expect(req2.input.at(-2).content[0].text).to.equal('Here is my thinking.\n<proposed_plan>\n# Plan\n- step one\n- step two\n</proposed_plan>\nLet me know if this works.');
    expect(req2.input.at(-1)).to.deep.equal({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Again' }] });

    const lines = rolloutLines(path);
    const kinds = lines.filter((l) => l.type === 'event_msg' && l.payload.type === 'task_started').map((l) => l.payload.collaboration_mode_kind);
    expect(kinds).to.deep.equal(['plan', 'plan']);
    const lastMessages = lines.filter((l) => l.type === 'event_msg' && l.payload.type === 'task_complete').map((l) => l.payload.last_agent_message);
    expect(lastMessages).to.deep.equal(['Here is my thinking.\nLet me know if this works.', 'Second turn.\n']);

    // thread/read rebuilds the plan items, as the reference does.
    const read = resultOf<{ thread: { turns: unknown[] } }>(await h.client.request('thread/read', { threadId, includeTurns: true }));
    const reference = referenceResult('plan-mode', 6, subs) as { thread: { turns: unknown[] } };
    expect(read.thread.turns).to.deep.equal(reference.thread.turns);
  });

  it('switching back to default mode records the Default instructions; a plan block is then plain text', async () => {
    const planText = 'Plan:\n<proposed_plan>\n- a\n</proposed_plan>\n';
    const h = await startTurnHarness(
      [{ output: [{ type: 'message', id: 'm1', text: planText }] }, { output: [{ type: 'message', id: 'm2', text: planText }] }],
      EXPERIMENTAL,
    );
    const { threadId, path } = await startThread(h);
    const first = await startTurn(h, threadId, [text('Plan')], { collaborationMode: PLAN_MODE });
    await turnCompleted(h, first.turnId);
    const defaultMode = { mode: 'default', settings: { model: 'mock-model', reasoning_effort: null, developer_instructions: null } };
    const second = await startTurn(h, threadId, [text('Do it')], { collaborationMode: defaultMode });
    const done = await turnCompleted(h, second.turnId);
    const seen = between(h, second.response, done);
    expect(itemsOf(seen, 'item/completed').filter((i) => i.type !== 'userMessage')).to.deep.equal([{ type: 'agentMessage', id: 'm2', text: planText }]);
    expect(seen.some((m) => m.method === 'item/plan/delta')).to.equal(false);
    const list = resultOf<{ data: Array<{ mode: string; developer_instructions: string }> }>(await h.client.request('collaborationMode/list', {})).data;
    const instructions = (mode: string) => list.find((m) => m.mode === mode)!.developer_instructions;
    const developer = (h.mock.requests[1]!.body.input as Array<{ role?: string; content?: Array<{ text: string }> }>)
      .filter((i) => i.role === 'developer')
      .map((i) => i.content![0]!.text);
    const planAt = developer.findIndex((t) => t.includes(instructions('plan')));
    const defaultAt = developer.findIndex((t) => t.includes(instructions('default')));
    expect(planAt).to.be.greaterThan(-1);
    expect(defaultAt).to.be.greaterThan(planAt);
    const kinds = rolloutLines(path)
      .filter((l) => l.type === 'event_msg' && l.payload.type === 'task_started')
      .map((l) => l.payload.collaboration_mode_kind);
    expect(kinds).to.deep.equal(['plan', 'default']);
  });

  it('a message that is only a plan emits no agentMessage item', async () => {
    const h = await startTurnHarness(
      [{ output: [{ type: 'message', id: 'msg-only-plan', text: '\n<proposed_plan>\n- just this\n</proposed_plan>\n', chunks: ['\n<proposed_', 'plan>\n- just', ' this\n</proposed_plan>\n'] }] }],
      EXPERIMENTAL,
    );
    const { threadId } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [text('Plan only')], { collaborationMode: PLAN_MODE });
    const completed = await turnCompleted(h, turnId);
    const seen = between(h, response, completed);
    expect(seen.some((m) => m.method === 'item/agentMessage/delta')).to.equal(false);
    expect([...itemsOf(seen, 'item/started'), ...itemsOf(seen, 'item/completed')].some((i) => i.type === 'agentMessage')).to.equal(false);
    expect(itemsOf(seen, 'item/completed').filter((i) => i.type === 'plan')).to.deep.equal([{ type: 'plan', id: `${turnId}-plan`, text: '- just this\n' }]);
    expect(seen.filter((m) => m.method === 'item/plan/delta').map((m) => (m.params as { delta: string }).delta).join('')).to.equal('- just this\n');
    const read = resultOf<{ thread: { turns: Array<{ items: unknown[] }> } }>(await h.client.request('thread/read', { threadId, includeTurns: true }));
    expect(read.thread.turns[0]!.items).to.deep.equal([
      { type: 'userMessage', id: 'item-1', content: [{ type: 'text', text: 'Plan only', text_elements: [] }] },
      { type: 'plan', id: 'item-2', text: '- just this\n' },
    ]);
  });

  it('update_plan is refused in plan mode (no turn/plan/updated); the model is told why', async () => {
    const args = JSON.stringify({ plan: [{ step: 'Do it', status: 'pending' }] });
    const h = await startTurnHarness(
      [{ output: [{ type: 'function_call', name: 'update_plan', callId: 'call-up', arguments: args }] }, { output: [{ type: 'message', text: 'Understood.' }] }],
      EXPERIMENTAL,
    );
    const { threadId } = await startThread(h);
    const { turnId } = await startTurn(h, threadId, [text('Checklist?')], { collaborationMode: PLAN_MODE });
    await turnCompleted(h, turnId);
    expect(h.client.received.some((m) => m.method === 'turn/plan/updated')).to.equal(false);
    const output = (h.mock.requests[1]!.body.input as Array<Record<string, unknown>>).find((i) => i.type === 'function_call_output' && i.call_id === 'call-up');
    expect(output).to.deep.equal({ type: 'function_call_output', call_id: 'call-up', output: 'update_plan is a TODO/checklist tool and is not allowed in Plan mode' });
  });

  describe('request_user_input', () => {
    const questions = [
      {
        id: 'confirm_path',
        header: 'Confirm',
        question: 'Use src/ as the target?',
        options: [
          { label: 'Yes (Recommended)', description: 'Proceed with src/' },
          { label: 'No', description: 'Pick another folder' },
        ],
      },
    ];
    const call = { type: 'function_call' as const, name: 'request_user_input', callId: 'call-ask', arguments: JSON.stringify({ questions }) };

    it('in plan mode asks the client (isOther true); the answers reach the model', async () => {
      const h = await startTurnHarness([{ output: [call] }, { output: [{ type: 'message', text: 'Thanks.' }] }], EXPERIMENTAL);
      const { threadId } = await startThread(h);
      const { turnId } = await startTurn(h, threadId, [text('Ask me')], { collaborationMode: PLAN_MODE });
      const request = await serverRequest(h, 'item/tool/requestUserInput');
      expect(request.params).to.deep.equal({
        threadId,
        turnId,
        itemId: 'call-ask',
        questions: questions.map((q) => ({ ...q, isOther: true, isSecret: false })),
      });
      const answers = { answers: { confirm_path: { answers: ['Yes (Recommended)'] } } };
      answer(h, request, answers);
      expect(((await turnCompleted(h, turnId)).params as { turn: { status: string } }).turn.status).to.equal('completed');
      const output = (h.mock.requests[1]!.body.input as Array<Record<string, unknown>>).find((i) => i.type === 'function_call_output' && i.call_id === 'call-ask');
      expect(output).to.not.equal(undefined);
      expect(JSON.parse(output!.output as string)).to.deep.equal(answers);
    });

    it('in default mode is refused without asking', async () => {
      const h = await startTurnHarness([{ output: [call] }, { output: [{ type: 'message', text: 'OK.' }] }], EXPERIMENTAL);
      const { threadId } = await startThread(h);
      const { turnId } = await startTurn(h, threadId, [text('Ask me')]);
      await turnCompleted(h, turnId);
      expect(h.client.received.some((m) => m.method === 'item/tool/requestUserInput')).to.equal(false);
      const output = (h.mock.requests[1]!.body.input as Array<Record<string, unknown>>).find((i) => i.type === 'function_call_output' && i.call_id === 'call-ask');
      expect(output?.output).to.equal('request_user_input is unavailable in Default mode');
    });
  });
});
