import { expect } from 'chai';
import type { ModelEvent } from '../../../lib/model/modelEvents.js';
import { ResponseAssembler, type TurnEffect } from '../../../lib/turns/responseAssembler.js';

const T = { threadId: 'th', turnId: 'tu' };
const message = (id: string, text: string) => ({ type: 'message' as const, role: 'assistant' as const, id, content: [{ type: 'output_text' as const, text }] });
const added = (id: string): ModelEvent => ({ type: 'outputItemAdded', item: { ...message(id, ''), content: [] } });
const delta = (text: string): ModelEvent => ({ type: 'outputTextDelta', delta: text });
const done = (id: string, text: string): ModelEvent => ({ type: 'outputItemDone', item: message(id, text) });

const run = (planMode: boolean, events: ModelEvent[]): { effects: TurnEffect[]; assembler: ResponseAssembler } => {
  const assembler = new ResponseAssembler({ ...T, planMode });
  return { effects: events.flatMap((e) => assembler.step(e)), assembler };
};

/** The notifications as `method:detail` strings, for order checks. */
const trace = (effects: TurnEffect[]): string[] =>
  effects.map((e) => {
    if (e.kind === 'toolCall') return 'toolCall';
    if (e.kind === 'persist') return `persist:${e.lines.map((l) => ('event' in l ? l.event.type : l.item.type)).join(',')}`;
    const p = e.params as { item?: { type: string; text?: string }; delta?: string };
    if (p.item) return `${e.method}:${p.item.type}${p.item.text !== undefined && e.method === 'item/completed' ? `=${JSON.stringify(p.item.text)}` : ''}`;
    return `${e.method}:${JSON.stringify(p.delta)}`;
  });

describe('ResponseAssembler', () => {
  it('streams an agent message: started, deltas, the persisted legacy event and item, completed', () => {
    const { effects, assembler } = run(false, [added('m1'), delta('Hel'), delta('lo'), done('m1', 'Hello')]);
    expect(trace(effects)).to.deep.equal([
      'item/started:agentMessage',
      'item/agentMessage/delta:"Hel"',
      'item/agentMessage/delta:"lo"',
      'persist:agent_message,message',
      'item/completed:agentMessage="Hello"',
    ]);
    expect(assembler.lastAgentMessage).to.equal('Hello');
  });

  it('reports reasoning summary parts and deltas on the reasoning item, and persists one event per part', () => {
    const { effects } = run(false, [
      { type: 'outputItemAdded', item: { type: 'reasoning', id: 'rs', summary: [] } },
      { type: 'reasoningSummaryPartAdded', summaryIndex: 0 },
      { type: 'reasoningSummaryDelta', delta: 'think', summaryIndex: 0 },
      { type: 'outputItemDone', item: { type: 'reasoning', id: 'rs', summary: [{ type: 'summary_text', text: 'a' }, { type: 'summary_text', text: 'b' }] } },
    ]);
    expect(trace(effects)).to.deep.equal([
      'item/started:reasoning',
      'item/reasoning/summaryPartAdded:undefined',
      'item/reasoning/summaryTextDelta:"think"',
      'persist:agent_reasoning,agent_reasoning,reasoning',
      'item/completed:reasoning',
    ]);
    const completed = effects.at(-1) as unknown as { params: { item: object } };
    expect(completed.params.item).to.deep.equal({ type: 'reasoning', id: 'rs', summary: ['a', 'b'], content: [] });
  });

  it('persists a function call and hands it over as a tool call', () => {
    const call = { type: 'function_call' as const, name: 'exec_command', arguments: '{}', call_id: 'c1' };
    const { effects } = run(false, [{ type: 'outputItemDone', item: call }]);
    expect(trace(effects)).to.deep.equal(['persist:function_call', 'toolCall']);
  });

  describe('in plan mode', () => {
    const planText = 'Intro\n<proposed_plan>\n# Plan\n- a\n</proposed_plan>\nBye';

    it('splits the plan block into the <turnId>-plan item and strips it from the agent message', () => {
      const chunks = ['Intro\n<propo', 'sed_plan>\n# Pl', 'an\n- a\n</proposed_plan>\n', 'Bye'];
      const { effects, assembler } = run(true, [added('m1'), ...chunks.map(delta), done('m1', planText)]);
      expect(trace(effects)).to.deep.equal([
        'item/started:agentMessage',
        'item/agentMessage/delta:"Intro\\n"',
        'item/started:plan',
        'item/plan/delta:"# Pl"',
        'item/plan/delta:"an\\n- a\\n"',
        'item/agentMessage/delta:"Bye"',
        'persist:item_completed',
        'item/completed:plan="# Plan\\n- a\\n"',
        'persist:agent_message,message',
        'item/completed:agentMessage="Intro\\nBye"',
      ]);
      const persisted = effects.find((e) => e.kind === 'persist' && e.lines.some((l) => 'item' in l)) as unknown as { lines: Array<{ item?: { content: unknown } }> };
      expect(persisted.lines[1]!.item).to.deep.equal(message('m1', planText));
      expect(assembler.lastAgentMessage).to.equal('Intro\nBye');
    });

    it('emits no agent message at all when the message is only a plan', () => {
      const only = '<proposed_plan>\n- x\n</proposed_plan>\n';
      const { effects, assembler } = run(true, [added('m1'), delta(only), done('m1', only)]);
      expect(trace(effects)).to.deep.equal([
        'item/started:plan',
        'item/plan/delta:"- x\\n"',
        'persist:item_completed',
        'item/completed:plan="- x\\n"',
        'persist:message',
      ]);
      expect(assembler.lastAgentMessage).to.equal(null);
    });

    it('holds leading whitespace until visible text, and prepends it once', () => {
      const { effects } = run(true, [added('m1'), delta('\n'), delta('  Hi'), done('m1', '\n  Hi')]);
      expect(trace(effects).slice(0, 2)).to.deep.equal(['item/started:agentMessage', 'item/agentMessage/delta:"\\n  Hi"']);
    });

    it('closes an unterminated block with the extracted text when the message ends', () => {
      const text = 'x\n<proposed_plan>\n- step';
      const { effects } = run(true, [added('m1'), delta(text), done('m1', text)]);
      expect(trace(effects)).to.include('item/completed:plan="- step"');
    });
  });
});
