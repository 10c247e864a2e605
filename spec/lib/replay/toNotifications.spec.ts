import { expect } from 'chai';
import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ThreadItem, ThreadTokenUsage, TurnStatus } from '../../../lib/protocol/index.js';
import { toNotifications, type ReplayNotification } from '../../../lib/replay/toNotifications.js';
import type { RolloutLine } from '../../../lib/rollout/rolloutLine.js';
import { foldRollout } from '../../../reducers/rolloutReducer.js';
import { threadTurns } from '../../../reducers/threadReducer.js';
import {
  aborted,
  agentMsg,
  compacted,
  complete,
  ev,
  meta,
  plan,
  reasoning,
  rolledBack,
  started,
  userMsg,
} from '../../reducers/lineBuilders.js';
import { rolloutFiles, rolloutLines, scenarios } from '../../reducers/referenceFixtures.js';

const THREAD = (meta().payload as { id: string }).id;

const usage = (total: number) => ({ input_tokens: total, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: total });
const tokens = (total: number): RolloutLine => ev({ type: 'token_count', info: { total_token_usage: usage(total), last_token_usage: usage(total), model_context_window: 1000 } });
const tokensWithoutInfo: RolloutLine = ev({ type: 'token_count', info: null, rate_limits: null });
const contextCompacted: RolloutLine = ev({ type: 'context_compacted' });

const wireUsage = (total: number): ThreadTokenUsage => {
  const breakdown = { totalTokens: total, inputTokens: total, cachedInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0 };
  return { total: breakdown, last: breakdown, modelContextWindow: 1000 };
};

const turnStarted = (id: string): ReplayNotification => ({
  method: 'turn/started',
  params: { threadId: THREAD, turn: { id, items: [], status: 'inProgress', error: null } },
});
const turnCompleted = (id: string, status: TurnStatus = 'completed'): ReplayNotification => ({
  method: 'turn/completed',
  params: { threadId: THREAD, turn: { id, items: [], status, error: null } },
});
const itemStarted = (turnId: string, item: ThreadItem): ReplayNotification => ({ method: 'item/started', params: { threadId: THREAD, turnId, item } });
const itemCompleted = (turnId: string, item: ThreadItem): ReplayNotification => ({ method: 'item/completed', params: { threadId: THREAD, turnId, item } });
const tokenUsage = (turnId: string, total: number): ReplayNotification => ({
  method: 'thread/tokenUsage/updated',
  params: { threadId: THREAD, turnId, tokenUsage: wireUsage(total) },
});

const userItem = (id: string, text: string): ThreadItem => ({ type: 'userMessage', id, content: [{ type: 'text', text, text_elements: [] }] });
const agentItem = (id: string, text: string): ThreadItem => ({ type: 'agentMessage', id, text });

const notificationsOf = (lines: RolloutLine[]): Promise<ReplayNotification[]> => lastValueFrom(of(...lines).pipe(toNotifications(), toArray()));

describe('toNotifications', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it('sends an item once the reducer can no longer change it: when the next item arrives or its turn ends', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-m-s-u----a----c----|', { m: meta(), s: started('t1'), u: userMsg('hi'), a: agentMsg('hello'), c: complete('t1') });
      expectObservable(source.pipe(toNotifications())).toBe('---s------(uv)-(abt)|', {
        s: turnStarted('t1'),
        u: itemStarted('t1', userItem('item-1', 'hi')),
        v: itemCompleted('t1', userItem('item-1', 'hi')),
        a: itemStarted('t1', agentItem('item-2', '')),
        b: itemCompleted('t1', agentItem('item-2', 'hello')),
        t: turnCompleted('t1'),
      });
      expectSubscriptions(source.subscriptions).toBe('^-------------------!');
    });
  });

  it('merges reasoning parts into one item, as thread/read does, and holds what follows it behind it', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('ms-r-p-k-a-----c----|', { m: meta(), s: started('t1'), r: reasoning('one'), p: reasoning('two'), k: tokens(10), a: agentMsg('done'), c: complete('t1') });
      const merged: ThreadItem = { type: 'reasoning', id: 'item-1', summary: ['one', 'two'], content: [] };
      expectObservable(source.pipe(toNotifications())).toBe('-s-------(rqk)-(abt)|', {
        s: turnStarted('t1'),
        r: itemStarted('t1', { ...merged, summary: [] }),
        q: itemCompleted('t1', merged),
        k: tokenUsage('t1', 10),
        a: itemStarted('t1', agentItem('item-2', '')),
        b: itemCompleted('t1', agentItem('item-2', 'done')),
        t: turnCompleted('t1'),
      });
    });
  });

  it('sends what is still held when the lines end, and nothing after an unsubscribe', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const lines = { m: meta(), s: started('t1'), u: userMsg('hi') };
      const ended = cold('ms-u-|', lines);
      expectObservable(ended.pipe(toNotifications())).toBe('-s---(uv|)', {
        s: turnStarted('t1'),
        u: itemStarted('t1', userItem('item-1', 'hi')),
        v: itemCompleted('t1', userItem('item-1', 'hi')),
      });
      const endless = cold('ms-u----', lines);
      expectObservable(endless.pipe(toNotifications()), '^------!').toBe('-s------', { s: turnStarted('t1') });
      expectSubscriptions(endless.subscriptions).toBe('^------!');
    });
  });

  it('passes an error through after what was already sent', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('ms-u-#', { m: meta(), s: started('t1'), u: userMsg('hi') }, new Error('disk'));
      expectObservable(source.pipe(toNotifications())).toBe('-s---#', { s: turnStarted('t1') }, new Error('disk'));
    });
  });

  it('holds everything until the session_meta names the thread, and errors if none ever does', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const late = cold('s-a-m|', { s: started('t1'), a: agentMsg('hello'), m: meta() });
      expectObservable(late.pipe(toNotifications())).toBe('----s(ab|)', {
        s: turnStarted('t1'),
        a: itemStarted('t1', agentItem('item-1', '')),
        b: itemCompleted('t1', agentItem('item-1', 'hello')),
      });
      const never = cold('s-a|', { s: started('t1'), a: agentMsg('hello') });
      expectObservable(never.pipe(toNotifications())).toBe(
        '---#',
        {},
        new Error('the rollout has no session_meta line, so its notifications have no thread id'),
      );
    });
  });

  it('ends an aborted turn as interrupted, after the items it already had', async () => {
    const out = await notificationsOf([meta(), started('t1'), userMsg('stop soon'), aborted('t1'), started('t2')]);
    expect(out.map((n) => n.method)).to.deep.equal(['turn/started', 'item/started', 'item/completed', 'turn/completed', 'turn/started']);
    expect(out[3]).to.deep.equal(turnCompleted('t1', 'interrupted'));
  });

  it('keeps a plan item its live id, <turnId>-plan, and starts streamed items empty', async () => {
    const out = await notificationsOf([meta(), started('t1'), userMsg('plan it'), plan('t1', '- step\n'), agentMsg('Here.'), complete('t1')]);
    const planItem: ThreadItem = { type: 'plan', id: 't1-plan', text: '- step\n' };
    expect(out.slice(3, 7)).to.deep.equal([
      itemStarted('t1', { ...planItem, text: '' }),
      itemCompleted('t1', planItem),
      itemStarted('t1', agentItem('item-3', '')),
      itemCompleted('t1', agentItem('item-3', 'Here.')),
    ]);
  });

  it('maps usage and compaction to the turn they fall in; usage without info, and a rollback, send nothing', async () => {
    const out = await notificationsOf([
      meta(),
      started('t1'),
      tokensWithoutInfo,
      compacted('summary'),
      contextCompacted,
      tokens(5),
      complete('t1'),
      tokens(6), // between turns (a rollback reports usage): the latest turn
      rolledBack(1),
    ]);
    expect(out).to.deep.equal([
      turnStarted('t1'),
      { method: 'thread/compacted', params: { threadId: THREAD, turnId: 't1' } },
      tokenUsage('t1', 5),
      turnCompleted('t1'),
      tokenUsage('t1', 6),
    ]);
  });

  it('numbers items as thread/read does after a rollback', async () => {
    const out = await notificationsOf([
      meta(),
      started('t1'),
      userMsg('one'),
      complete('t1'),
      started('t2'),
      userMsg('two'),
      complete('t2'),
      rolledBack(1),
      started('t3'),
      userMsg('three'),
      complete('t3'),
    ]);
    const ids = out.flatMap((n) => (n.method === 'item/completed' ? [n.params.item.id] : []));
    expect(ids).to.deep.equal(['item-1', 'item-2', 'item-2']);
  });

  it('closes a turn reopened under the same id before numbering the new one', async () => {
    const out = await notificationsOf([meta(), started('t1'), userMsg('one'), started('t1'), userMsg('two'), complete('t1')]);
    expect(out).to.deep.equal([
      turnStarted('t1'),
      itemStarted('t1', userItem('item-1', 'one')),
      itemCompleted('t1', userItem('item-1', 'one')),
      turnStarted('t1'),
      itemStarted('t1', userItem('item-2', 'two')),
      itemCompleted('t1', userItem('item-2', 'two')),
      turnCompleted('t1'),
    ]);
  });

  describe('on the reference fixtures', () => {
    for (const scenario of scenarios()) {
      for (const path of rolloutFiles(scenario)) {
        const lines = rolloutLines(path);
        // A rollback drops turns from thread/read, while their notifications were sent.
        if (lines.some((line) => line.type === 'event_msg' && line.payload.type === 'thread_rolled_back')) continue;
        it(`${scenario}/${path.slice(-12)}: the completed items, turn by turn, are the turns thread/read rebuilds`, async () => {
          const out = await notificationsOf(lines);
          const turns = threadTurns(foldRollout(lines).thread);
          const sent = turns.map((turn) =>
            out.flatMap((n) => (n.method === 'item/completed' && n.params.turnId === turn.id ? [n.params.item] : [])),
          );
          // Plans keep their live id; thread/read numbers them.
          const rebuiltIds = turns.map((turn) => turn.items.map((item) => (item.type === 'plan' ? `${turn.id}-plan` : item.id)));
          expect(sent.map((items) => items.map((item) => item.id))).to.deep.equal(rebuiltIds);
          expect(sent.map((items) => items.map(({ id: _, ...rest }) => rest))).to.deep.equal(turns.map((turn) => turn.items.map(({ id: _, ...rest }) => rest)));
          const completed = out.flatMap((n) => (n.method === 'turn/completed' ? [n.params.turn.id] : []));
          expect(completed).to.deep.equal(turns.map((turn) => turn.id));
        });
      }
    }
  });
});
