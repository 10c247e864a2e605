import type { ThreadItem, ThreadTokenUsage, TokenUsageBreakdown, Turn, TurnStatus, UserInput } from '../lib/protocol/index.js';
import type { CoreTokenUsage, EventMsg, KnownEventMsg } from '../lib/rollout/eventMsg.js';
import type { RolloutLine } from '../lib/rollout/rolloutLine.js';
import type { SessionMeta } from '../lib/rollout/sessionMeta.js';
import type { TurnContext } from '../lib/rollout/turnContext.js';
import { assertNever } from './assertNever.js';

/** The turn being built: still open to more items until the next boundary (SPEC §6.5). */
export interface PendingTurn {
  readonly id: string;
  readonly items: ThreadItem[];
  readonly status: TurnStatus;
  /** Opened by `task_started`; implicit turns (legacy files) are closed by the next user message. */
  readonly openedExplicitly: boolean;
  /** A `compacted` line fell in this turn; such a turn is kept even without items. */
  readonly sawCompaction: boolean;
}

/**
 * A thread as its rollout describes it: the turns `thread/read` would return, plus what resume
 * needs (the first `session_meta`, the latest `turn_context`, the latest token usage).
 * Arrays are never mutated; every change makes new ones.
 */
export interface ThreadState {
  /** The first `session_meta`: it names the thread (a fork file also holds its source's meta, later). */
  readonly sessionMeta: SessionMeta | null;
  /** Finished turns, oldest first. */
  readonly turns: Turn[];
  readonly currentTurn: PendingTurn | null;
  /** Number of the next `item-N` id; continuous across turns. */
  readonly nextItemIndex: number;
  /** Implicit turns opened so far; their ids are derived from it (see `openImplicitTurn`). */
  readonly implicitTurnCount: number;
  /** From the last `token_count` that carried usage; seeds usage on resume (SPEC §4.3). */
  readonly tokenUsage: ThreadTokenUsage | null;
  /** The latest `turn_context`; resume compares its model with the resumed one (SPEC §4.3). */
  readonly lastTurnContext: TurnContext | null;
}

/** The state before any line. */
export const initialThreadState: ThreadState = {
  sessionMeta: null,
  turns: [],
  currentTurn: null,
  nextItemIndex: 1,
  implicitTurnCount: 0,
  tokenUsage: null,
  lastTurnContext: null,
};

const nextItemId = (state: ThreadState): [string, number] => [`item-${state.nextItemIndex}`, state.nextItemIndex + 1];

/** Closes the current turn; a turn with no items is dropped unless it was opened explicitly or saw a compaction. */
const finishCurrentTurn = (state: ThreadState): ThreadState => {
  const turn = state.currentTurn;
  if (turn === null) return state;
  const keep = turn.items.length > 0 || turn.openedExplicitly || turn.sawCompaction;
  const finished: Turn = { id: turn.id, items: turn.items, status: turn.status, error: null };
  return { ...state, currentTurn: null, turns: keep ? [...state.turns, finished] : state.turns };
};

// The reference gives implicit turns a fresh UUIDv7 on every read, so no client can rely on
// them. A reducer may not draw random ids; numbering keeps the fold pure and makes two reads of
// one file agree. Implicit turns only occur in legacy files without `task_started`.
const openImplicitTurn = (state: ThreadState): ThreadState => ({
  ...state,
  implicitTurnCount: state.implicitTurnCount + 1,
  currentTurn: {
    id: `implicit-turn-${state.implicitTurnCount + 1}`,
    items: [],
    status: 'completed',
    openedExplicitly: false,
    sawCompaction: false,
  },
});

const ensureTurn = (state: ThreadState): ThreadState & { currentTurn: PendingTurn } =>
  (state.currentTurn === null ? openImplicitTurn(state) : state) as ThreadState & { currentTurn: PendingTurn };

/** Appends an item with the next `item-N` id to the current (or a new implicit) turn. */
const appendItem = (state: ThreadState, makeItem: (id: string) => ThreadItem): ThreadState => {
  const withTurn = ensureTurn(state);
  const [id, nextItemIndex] = nextItemId(withTurn);
  const turn = withTurn.currentTurn;
  return { ...withTurn, nextItemIndex, currentTurn: { ...turn, items: [...turn.items, makeItem(id)] } };
};

/** Reasoning parts merge into a trailing reasoning item, else start a new one (SPEC §6.5). */
const appendReasoning = (state: ThreadState, text: string, into: 'summary' | 'content'): ThreadState => {
  if (text === '') return state;
  const withTurn = ensureTurn(state);
  const turn = withTurn.currentTurn;
  const last = turn.items[turn.items.length - 1];
  if (last?.type === 'reasoning') {
    const merged: ThreadItem = { ...last, [into]: [...(last[into] ?? []), text] };
    return { ...withTurn, currentTurn: { ...turn, items: [...turn.items.slice(0, -1), merged] } };
  }
  return appendItem(withTurn, (id) => ({
    type: 'reasoning',
    id,
    summary: into === 'summary' ? [text] : [],
    content: into === 'content' ? [text] : [],
  }));
};

const userInputs = (event: Extract<KnownEventMsg, { type: 'user_message' }>): UserInput[] => [
  ...(event.message.trim() === ''
    ? []
    : [
        {
          type: 'text' as const,
          text: event.message,
          text_elements: (event.text_elements ?? []).map((element) => ({
            byteRange: { start: element.byte_range.start, end: element.byte_range.end },
            placeholder: element.placeholder ?? null,
          })),
        },
      ]),
  ...(event.images ?? []).map((url) => ({ type: 'image' as const, url })),
  ...(event.local_images ?? []).map((path) => ({ type: 'localImage' as const, path })),
];

const onUserMessage = (state: ThreadState, event: Extract<KnownEventMsg, { type: 'user_message' }>): ThreadState => {
  const turn = state.currentTurn;
  // A user message starts a new turn unless its turn was opened explicitly, or is an empty turn
  // that only holds a compaction (the compaction then belongs to the user's turn).
  const closesCurrent = turn !== null && !turn.openedExplicitly && !(turn.sawCompaction && turn.items.length === 0);
  const base = closesCurrent ? finishCurrentTurn(state) : state;
  return appendItem(base, (id) => ({ type: 'userMessage', id, content: userInputs(event) }));
};

const breakdown = (usage: CoreTokenUsage): TokenUsageBreakdown => ({
  totalTokens: usage.total_tokens,
  inputTokens: usage.input_tokens,
  cachedInputTokens: usage.cached_input_tokens,
  outputTokens: usage.output_tokens,
  reasoningOutputTokens: usage.reasoning_output_tokens,
});

const setStatus = (state: ThreadState, status: TurnStatus): ThreadState =>
  state.currentTurn === null || state.currentTurn.status === status ? state : { ...state, currentTurn: { ...state.currentTurn, status } };

const rollBack = (state: ThreadState, numTurns: number): ThreadState => {
  const finished = finishCurrentTurn(state);
  const turns = finished.turns.slice(0, Math.max(0, finished.turns.length - numTurns));
  const remainingItems = turns.reduce((count, turn) => count + turn.items.length, 0);
  if (turns.length === finished.turns.length && finished.nextItemIndex === remainingItems + 1) return finished;
  return { ...finished, turns, nextItemIndex: remainingItems + 1 };
};

const onEvent = (state: ThreadState, event: EventMsg): ThreadState => {
  switch (event.type) {
    case 'task_started':
      return {
        ...finishCurrentTurn(state),
        currentTurn: { id: event.turn_id, items: [], status: 'completed', openedExplicitly: true, sawCompaction: false },
      };
    case 'user_message':
      return onUserMessage(state, event);
    case 'agent_message':
      return event.message === '' ? state : appendItem(state, (id) => ({ type: 'agentMessage', id, text: event.message }));
    case 'agent_reasoning':
      return appendReasoning(state, event.text, 'summary');
    case 'agent_reasoning_raw_content':
      return appendReasoning(state, event.text, 'content');
    case 'item_completed': {
      // Only plan items are persisted; the original `<turn>-plan` id is not kept (SPEC §6.5).
      const { type, text } = event.item;
      return type === 'Plan' && text !== undefined && text !== '' ? appendItem(state, (id) => ({ type: 'plan', id, text })) : state;
    }
    case 'turn_aborted':
      // The aborted turn stays open until the next boundary; `error` stays null as in the reference.
      return setStatus(state, 'interrupted');
    case 'task_complete': {
      const completed = setStatus(state, 'completed');
      return finishCurrentTurn(completed);
    }
    case 'thread_rolled_back':
      return rollBack(state, event.num_turns);
    case 'token_count': {
      const info = event.info;
      if (info === null || info === undefined) return state;
      return {
        ...state,
        tokenUsage: {
          total: breakdown(info.total_token_usage),
          last: breakdown(info.last_token_usage),
          modelContextWindow: info.model_context_window ?? null,
        },
      };
    }
    case 'context_compacted':
    case 'entered_review_mode':
    case 'exited_review_mode':
    case 'undo_completed':
    case 'other':
      return state;
    default:
      return assertNever(event);
  }
};

/**
 * Folds one rollout line into the thread state, following the reference's turn rebuild
 * (`build_turns_from_rollout_items`, SPEC §6.5): `task_started` opens a turn, user/agent messages,
 * reasoning and plan items become `item-N` items, `turn_aborted` marks the turn interrupted,
 * `task_complete` closes it, `thread_rolled_back` drops the last N turns, `compacted` marks a turn.
 * Pure; returns the same state object when the line changes nothing.
 *
 * @example
 * const state = lines.reduce(threadReducer, initialThreadState);
 * threadTurns(state); // Turn[] as thread/read returns them
 */
export const threadReducer = (state: ThreadState, line: RolloutLine): ThreadState => {
  switch (line.type) {
    case 'session_meta':
      return state.sessionMeta === null ? { ...state, sessionMeta: line.payload } : state;
    case 'turn_context':
      return { ...state, lastTurnContext: line.payload };
    case 'compacted': {
      const withTurn = ensureTurn(state);
      return withTurn.currentTurn.sawCompaction ? withTurn : { ...withTurn, currentTurn: { ...withTurn.currentTurn, sawCompaction: true } };
    }
    case 'event_msg':
      return onEvent(state, line.payload);
    case 'response_item':
      return state;
    default:
      return assertNever(line);
  }
};

/**
 * The turns as `thread/read`, `thread/resume`, `thread/fork` and `thread/rollback` return them:
 * the finished turns plus the open one, if it is kept (an open turn reads as `completed`).
 *
 * @example
 * threadTurns(lines.reduce(threadReducer, initialThreadState));
 */
export const threadTurns = (state: ThreadState): Turn[] => finishCurrentTurn(state).turns;
