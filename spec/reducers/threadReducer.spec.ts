import { expect } from 'chai';
import type { RolloutLine } from '../../lib/rollout/rolloutLine.js';
import { initialThreadState, threadReducer, threadTurns, type ThreadState } from '../../reducers/threadReducer.js';
import {
  aborted,
  agentMsg,
  assistantItem,
  compacted,
  complete,
  ev,
  meta,
  other,
  plan,
  rawReasoning,
  reasoning,
  rolledBack,
  started,
  turn,
  turnContext,
  userItem,
  userMsg,
} from './lineBuilders.js';

const fold = (lines: RolloutLine[], from: ThreadState = initialThreadState): ThreadState => lines.reduce(threadReducer, from);
const turnsOf = (lines: RolloutLine[]) => threadTurns(fold(lines));
const summary = (lines: RolloutLine[]) => turnsOf(lines).map((t) => `${t.id}:${t.status}:${t.items.map((i) => i.id).join(',')}`);

describe('threadReducer', () => {
  describe('turn boundaries', () => {
    it('opens a turn per task_started, with the turn id, completed, error null, and continuous item ids', () => {
      const turns = turnsOf([meta(), ...turn('t1', 'Q1', 'A1'), ...turn('t2', 'Q2', 'A2')]);
      expect(turns).to.deep.equal([
        {
          id: 't1',
          status: 'completed',
          error: null,
          items: [
            { type: 'userMessage', id: 'item-1', content: [{ type: 'text', text: 'Q1', text_elements: [] }] },
            { type: 'agentMessage', id: 'item-2', text: 'A1' },
          ],
        },
        {
          id: 't2',
          status: 'completed',
          error: null,
          items: [
            { type: 'userMessage', id: 'item-3', content: [{ type: 'text', text: 'Q2', text_elements: [] }] },
            { type: 'agentMessage', id: 'item-4', text: 'A2' },
          ],
        },
      ]);
    });

    it('keeps an explicit turn without items (a compaction turn)', () => {
      expect(summary([started('t1'), compacted('s'), complete('t1')])).to.deep.equal(['t1:completed:']);
      expect(summary([started('t1'), complete('t1')])).to.deep.equal(['t1:completed:']);
    });

    it('builds implicit turns in legacy files: each user message starts one, with a deterministic id', () => {
      const lines = [userMsg('Q1'), agentMsg('A1'), userMsg('Q2'), agentMsg('A2')];
      expect(summary(lines)).to.deep.equal(['implicit-turn-1:completed:item-1,item-2', 'implicit-turn-2:completed:item-3,item-4']);
      expect(summary(lines)).to.deep.equal(summary(lines));
    });

    it('keeps an implicit turn that only saw a compaction', () => {
      expect(summary([compacted('s')])).to.deep.equal(['implicit-turn-1:completed:']);
    });

    it('lets a compaction-only implicit turn absorb the next user message', () => {
      expect(summary([compacted('s'), userMsg('Q'), agentMsg('A')])).to.deep.equal(['implicit-turn-1:completed:item-1,item-2']);
    });

    it('keeps user messages inside an explicitly opened turn (steering)', () => {
      expect(summary([started('t1'), userMsg('Q'), userMsg('more'), agentMsg('A'), complete('t1')])).to.deep.equal([
        't1:completed:item-1,item-2,item-3',
      ]);
    });

    it('reports a turn still open at the end of the file as completed', () => {
      expect(summary([started('t1'), userMsg('Q')])).to.deep.equal(['t1:completed:item-1']);
    });

    it('marks an aborted turn interrupted; it stays open until the next boundary, error stays null', () => {
      const turns = turnsOf([started('t1'), userMsg('Q'), aborted('t1'), agentMsg('late'), ...turn('t2', 'Q2', 'A2')]);
      expect(turns.map((t) => [t.id, t.status, t.error, t.items.length])).to.deep.equal([
        ['t1', 'interrupted', null, 2],
        ['t2', 'completed', null, 2],
      ]);
    });

    it('leaves the state alone for turn_aborted and task_complete without an open turn', () => {
      const state = fold([...turn('t1', 'Q', 'A')]);
      expect(threadReducer(state, aborted('t1'))).to.equal(state);
      expect(threadReducer(state, complete('t1'))).to.equal(state);
    });
  });

  describe('items', () => {
    it('converts images, local images and text elements; omits the text part of a blank message', () => {
      const [userMessage] = turnsOf([
        ev({
          type: 'user_message',
          message: 'see [img]',
          images: ['https://x/y.png'],
          local_images: ['/tmp/a.png'],
          text_elements: [{ byte_range: { start: 4, end: 9 }, placeholder: '[img]' }],
        }),
        ev({ type: 'user_message', message: '  ', images: ['https://x/z.png'] }),
      ]).flatMap((t) => t.items);
      expect(userMessage).to.deep.equal({
        type: 'userMessage',
        id: 'item-1',
        content: [
          { type: 'text', text: 'see [img]', text_elements: [{ byteRange: { start: 4, end: 9 }, placeholder: '[img]' }] },
          { type: 'image', url: 'https://x/y.png' },
          { type: 'localImage', path: '/tmp/a.png' },
        ],
      });
      expect(turnsOf([ev({ type: 'user_message', message: '  ', images: null })])[0]?.items[0]).to.deep.equal({ type: 'userMessage', id: 'item-1', content: [] });
    });

    it('merges consecutive reasoning parts into one item, summary and raw content apart', () => {
      const items = turnsOf([started('t'), reasoning('s1'), reasoning('s2'), rawReasoning('r1'), agentMsg('A'), reasoning('s3')]).flatMap((t) => t.items);
      expect(items).to.deep.equal([
        { type: 'reasoning', id: 'item-1', summary: ['s1', 's2'], content: ['r1'] },
        { type: 'agentMessage', id: 'item-2', text: 'A' },
        { type: 'reasoning', id: 'item-3', summary: ['s3'], content: [] },
      ]);
      expect(turnsOf([started('t'), rawReasoning('r')]).flatMap((t) => t.items)).to.deep.equal([{ type: 'reasoning', id: 'item-1', summary: [], content: ['r'] }]);
    });

    it('turns a persisted Plan item into a plan item with a fresh item id; skips empty plans and other items', () => {
      const items = turnsOf([
        started('t'),
        plan('t', '# Plan\n- a\n'),
        plan('t', ''),
        ev({ type: 'item_completed', thread_id: 'x', turn_id: 't', item: { type: 'AgentMessage', id: 'm' } }),
      ]).flatMap((t) => t.items);
      expect(items).to.deep.equal([{ type: 'plan', id: 'item-1', text: '# Plan\n- a\n' }]);
    });

    it('skips empty agent messages and reasoning, returning the same state', () => {
      const state = fold([started('t')]);
      expect(threadReducer(state, agentMsg(''))).to.equal(state);
      expect(threadReducer(state, reasoning(''))).to.equal(state);
      expect(threadReducer(state, rawReasoning(''))).to.equal(state);
    });
  });

  describe('thread_rolled_back', () => {
    const three = [meta(), ...turn('t1', 'Q1', 'A1'), ...turn('t2', 'Q2', 'A2'), ...turn('t3', 'Q3', 'A3')];

    it('with 0 drops nothing', () => {
      expect(summary([...three, rolledBack(0)])).to.deep.equal(summary(three));
    });

    it('with 1 drops the last turn and numbers the next item after the remaining ones', () => {
      expect(summary([...three, rolledBack(1), ...turn('t4', 'Q4', 'A4')])).to.deep.equal([
        't1:completed:item-1,item-2',
        't2:completed:item-3,item-4',
        't4:completed:item-5,item-6',
      ]);
    });

    it('with more turns than exist drops them all and restarts at item-1', () => {
      expect(summary([...three, rolledBack(10)])).to.deep.equal([]);
      expect(summary([...three, rolledBack(10), ...turn('t4', 'Q4', 'A4')])).to.deep.equal(['t4:completed:item-1,item-2']);
    });

    it('twice drops cumulatively', () => {
      expect(summary([...three, rolledBack(1), rolledBack(1)])).to.deep.equal(['t1:completed:item-1,item-2']);
    });

    it('after a compaction counts the compaction turn as a turn, as the reference does', () => {
      const lines = [...turn('t1', 'Q1', 'A1'), started('c'), compacted('summary'), complete('c'), ...turn('t3', 'Q3', 'A3')];
      expect(summary([...lines, rolledBack(1)])).to.deep.equal(['t1:completed:item-1,item-2', 'c:completed:']);
      expect(summary([...lines, rolledBack(2)])).to.deep.equal(['t1:completed:item-1,item-2']);
    });

    it('closes the open turn first, so it is the one dropped', () => {
      expect(summary([...turn('t1', 'Q1', 'A1'), started('t2'), userMsg('Q2'), rolledBack(1)])).to.deep.equal(['t1:completed:item-1,item-2']);
    });
  });

  describe('thread metadata', () => {
    it('keeps the first session_meta (a fork file also holds its source meta) and ignores the rest', () => {
      const first = meta({ id: 'fork', forked_from_id: 'source' });
      const state = fold([first, meta({ id: 'source' })]);
      expect(state.sessionMeta?.id).to.equal('fork');
      expect(threadReducer(state, meta({ id: 'other' }))).to.equal(state);
    });

    it('tracks the latest turn_context and the latest token usage', () => {
      const usage = { input_tokens: 100, cached_input_tokens: 5, output_tokens: 10, reasoning_output_tokens: 2, total_tokens: 110 };
      const state = fold([
        turnContext('m1'),
        turnContext('m2'),
        ev({ type: 'token_count', info: { total_token_usage: usage, last_token_usage: usage, model_context_window: 258400 }, rate_limits: null }),
        ev({ type: 'token_count', info: null, rate_limits: {} }),
      ]);
      expect(state.lastTurnContext?.model).to.equal('m2');
      const breakdown = { totalTokens: 110, inputTokens: 100, cachedInputTokens: 5, outputTokens: 10, reasoningOutputTokens: 2 };
      expect(state.tokenUsage).to.deep.equal({ total: breakdown, last: breakdown, modelContextWindow: 258400 });
    });

    it('returns the same state for lines that do not concern turns', () => {
      const state = fold([meta(), ...turn('t1', 'Q', 'A')]);
      for (const line of [userItem('x'), assistantItem('y'), other('hook_started'), ev({ type: 'context_compacted' }), ev({ type: 'undo_completed', success: true })]) {
        expect(threadReducer(state, line)).to.equal(state);
      }
    });
  });
});
