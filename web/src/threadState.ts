// The open thread as the view sees it, and the pure reducer that folds the server's notifications
// into it (SPEC §4.15–4.17). Updates are immutable and keep unchanged turns and items by reference,
// so the view re-renders only what changed.

import type { NotificationParams, ThreadItem, Turn, TurnError, TurnPlanStep, TurnStatus } from './protocol.js';

export interface TurnView {
  readonly id: string;
  readonly status: TurnStatus;
  readonly error: TurnError | null;
  readonly items: readonly ThreadItem[];
  /** The turn's aggregated unified diff (`turn/diff/updated`). */
  readonly diff: string | null;
  /** The `update_plan` checklist (`turn/plan/updated`). */
  readonly checklist: { readonly explanation: string | null; readonly plan: readonly TurnPlanStep[] } | null;
  /** Retry notices (`error` with `willRetry`), newest last. */
  readonly notices: readonly string[];
}

export interface ThreadView {
  readonly threadId: string;
  readonly turns: readonly TurnView[];
}

/** The running turn, if any. */
export const activeTurn = (view: ThreadView | null): TurnView | undefined => view?.turns.find((turn) => turn.status === 'inProgress');

export const turnView = (turn: Turn): TurnView => ({
  id: turn.id,
  status: turn.status,
  error: turn.error ?? null,
  items: turn.items,
  diff: null,
  checklist: null,
  notices: [],
});

/** A view of rebuilt history (`thread/read`, `thread/resume`, `thread/rollback`, `thread/fork`). */
export const threadView = (threadId: string, turns: readonly Turn[]): ThreadView => ({ threadId, turns: turns.map(turnView) });

const emptyTurn = (id: string): TurnView => ({ id, status: 'inProgress', error: null, items: [], diff: null, checklist: null, notices: [] });

/**
 * Applies `change` to turn `turnId`. An unknown turn is created only when `create` is set (turn and
 * item lifecycle notifications: compaction turns have no `turn/started`); otherwise it is ignored.
 */
const withTurn = (view: ThreadView, turnId: string, change: (turn: TurnView) => TurnView, create = false): ThreadView => {
  const index = view.turns.findIndex((turn) => turn.id === turnId);
  if (index < 0) return create ? { ...view, turns: [...view.turns, change(emptyTurn(turnId))] } : view;
  const before = view.turns[index] as TurnView;
  const after = change(before);
  if (after === before) return view;
  const turns = view.turns.slice();
  turns[index] = after;
  return { ...view, turns };
};

/** Applies `change` to item `itemId` of the turn; a delta for an unknown item is dropped. */
const withItem = (turn: TurnView, itemId: string, change: (item: ThreadItem) => ThreadItem): TurnView => {
  const index = turn.items.findIndex((item) => item.id === itemId);
  if (index < 0) return turn;
  const items = turn.items.slice();
  items[index] = change(items[index] as ThreadItem);
  return { ...turn, items };
};

/** Inserts or replaces (by id) an item. */
const putItem = (turn: TurnView, item: ThreadItem): TurnView => {
  const index = turn.items.findIndex((existing) => existing.id === item.id);
  if (index < 0) return { ...turn, items: [...turn.items, item] };
  const items = turn.items.slice();
  const existing = items[index] as ThreadItem;
  // The first terminal state is authoritative (SPEC §5.1 caveat).
  if (isTerminal(existing) && isTerminal(item)) return turn;
  items[index] = item;
  return { ...turn, items };
};

const isTerminal = (item: ThreadItem): boolean => 'status' in item && item.status !== 'inProgress';

const appendAt = (list: readonly string[], index: number, delta: string): string[] => {
  const next = list.slice();
  while (next.length <= index) next.push('');
  next[index] = (next[index] ?? '') + delta;
  return next;
};

/**
 * Folds one notification into the view of thread `view.threadId`; notifications of other threads
 * and methods it does not know return `view` unchanged.
 *
 * @example
 * view = reduceThread(view, 'item/agentMessage/delta', { threadId, turnId, itemId: 'msg_1', delta: 'Hel' });
 */
export function reduceThread(view: ThreadView, method: string, params: unknown): ThreadView {
  const p = params as { threadId?: string };
  if (!p || p.threadId !== view.threadId) return view;
  switch (method) {
    case 'turn/started': {
      const { turn } = params as NotificationParams['turn/started'];
      return withTurn(view, turn.id, (existing) => ({ ...existing, status: turn.status }), true);
    }
    case 'turn/completed': {
      const { turn } = params as NotificationParams['turn/completed'];
      return withTurn(view, turn.id, (existing) => ({ ...existing, status: turn.status, error: turn.status === 'failed' ? (turn.error ?? existing.error) : null }), true);
    }
    case 'item/started':
    case 'item/completed': {
      const { turnId, item } = params as NotificationParams['item/started'];
      return withTurn(view, turnId, (turn) => putItem(turn, item), true);
    }
    case 'item/agentMessage/delta':
    case 'item/plan/delta': {
      const { turnId, itemId, delta } = params as NotificationParams['item/agentMessage/delta'];
      return withTurn(view, turnId, (turn) =>
        withItem(turn, itemId, (item) => (item.type === 'agentMessage' || item.type === 'plan' ? { ...item, text: item.text + delta } : item)),
      );
    }
    case 'item/reasoning/summaryPartAdded': {
      const { turnId, itemId, summaryIndex } = params as NotificationParams['item/reasoning/summaryPartAdded'];
      return withTurn(view, turnId, (turn) =>
        withItem(turn, itemId, (item) => (item.type === 'reasoning' ? { ...item, summary: appendAt(item.summary ?? [], summaryIndex, '') } : item)),
      );
    }
    case 'item/reasoning/summaryTextDelta': {
      const { turnId, itemId, summaryIndex, delta } = params as NotificationParams['item/reasoning/summaryTextDelta'];
      return withTurn(view, turnId, (turn) =>
        withItem(turn, itemId, (item) => (item.type === 'reasoning' ? { ...item, summary: appendAt(item.summary ?? [], summaryIndex, delta) } : item)),
      );
    }
    case 'item/reasoning/textDelta': {
      const { turnId, itemId, contentIndex, delta } = params as NotificationParams['item/reasoning/textDelta'];
      return withTurn(view, turnId, (turn) =>
        withItem(turn, itemId, (item) => (item.type === 'reasoning' ? { ...item, content: appendAt(item.content ?? [], contentIndex, delta) } : item)),
      );
    }
    case 'item/commandExecution/outputDelta': {
      const { turnId, itemId, delta } = params as NotificationParams['item/commandExecution/outputDelta'];
      return withTurn(view, turnId, (turn) =>
        withItem(turn, itemId, (item) =>
          item.type === 'commandExecution' && item.status === 'inProgress' ? { ...item, aggregatedOutput: (item.aggregatedOutput ?? '') + delta } : item,
        ),
      );
    }
    case 'turn/diff/updated': {
      const { turnId, diff } = params as NotificationParams['turn/diff/updated'];
      return withTurn(view, turnId, (turn) => ({ ...turn, diff }));
    }
    case 'turn/plan/updated': {
      const { turnId, explanation, plan } = params as NotificationParams['turn/plan/updated'];
      return withTurn(view, turnId, (turn) => ({ ...turn, checklist: { explanation, plan } }));
    }
    case 'error': {
      const { turnId, error, willRetry } = params as NotificationParams['error'];
      if (!turnId) return view;
      return withTurn(view, turnId, (turn) => (willRetry ? { ...turn, notices: [...turn.notices, error.message] } : { ...turn, error }));
    }
    default:
      return view;
  }
}
