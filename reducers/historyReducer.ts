import type { ResponseItem } from '../lib/protocol/index.js';
import type { Compacted } from '../lib/rollout/compacted.js';
import type { EventMsg } from '../lib/rollout/eventMsg.js';
import type { RolloutLine } from '../lib/rollout/rolloutLine.js';
import { assertNever } from './assertNever.js';
import { append, type ChunkedList, emptyList, fromArray, toArray } from './chunkedList.js';
import { rebuildCompactedHistory } from './compactedHistory.js';
import { realUserMessageText } from './userMessages.js';

/**
 * What the model sees on the next request, as the reference reconstructs it on resume
 * (`reconstruct_history_from_rollout`, SPEC §6.5).
 */
export interface ModelHistory {
  /** The raw history, oldest first (ghost snapshots included); read it with {@link historyItems}. */
  readonly items: ChunkedList<ResponseItem>;
  /**
   * The session's initial context (permissions, AGENTS.md, environment…). A local compaction
   * stores only its summary, and the reference rebuilds the history around its *current* initial
   * context, so the session seeds it here (see {@link initialHistory}); it is not in the file.
   */
  readonly initialContext: ResponseItem[];
  /**
   * Summaries of earlier local compactions. The reference recognises an old summary by its
   * template prefix so it is not carried over as a user message; knowing the exact texts does the
   * same without depending on the template.
   */
  readonly summaries: string[];
}

/**
 * An empty history; `initialContext` is what a local compaction rebuilds around.
 *
 * @example
 * lines.reduce(historyReducer, initialHistory(session.buildInitialContext()));
 */
export const initialHistory = (initialContext: ResponseItem[] = []): ModelHistory => ({ items: emptyList(), initialContext, summaries: [] });

/** Whether the reference records this item into history (`is_api_message`, plus ghost snapshots). */
const isRecorded = (item: ResponseItem): boolean => item.type !== 'other' && !(item.type === 'message' && item.role === 'system');

/**
 * Drops the last `numTurns` user turns: everything from the Nth-last real user message on; with
 * more turns than exist, everything from the first one (what precedes it, the initial context,
 * stays). No user message, or `numTurns` 0: unchanged.
 */
const dropLastUserTurns = (history: ModelHistory, numTurns: number): ModelHistory => {
  if (numTurns <= 0) return history;
  const items = toArray(history.items);
  const starts = items.flatMap((item, index) => (realUserMessageText(item) === undefined ? [] : [index]));
  if (starts.length === 0) return history;
  const cut = numTurns >= starts.length ? (starts[0] as number) : (starts[starts.length - numTurns] as number);
  return { ...history, items: fromArray(items.slice(0, cut)) };
};

const compact = (history: ModelHistory, compacted: Compacted): ModelHistory => {
  const summaries = compacted.message === '' ? history.summaries : [...history.summaries, compacted.message];
  if (compacted.replacement_history !== undefined && compacted.replacement_history !== null) {
    return { ...history, items: fromArray(compacted.replacement_history), summaries };
  }
  const userMessages = toArray(history.items).flatMap((item) => {
    const text = realUserMessageText(item);
    return text === undefined || history.summaries.includes(text) ? [] : [text];
  });
  return { ...history, items: fromArray(rebuildCompactedHistory(history.initialContext, userMessages, compacted.message)), summaries };
};

const onEvent = (history: ModelHistory, event: EventMsg): ModelHistory => {
  switch (event.type) {
    case 'thread_rolled_back':
      return dropLastUserTurns(history, event.num_turns);
    case 'user_message':
    case 'agent_message':
    case 'agent_reasoning':
    case 'agent_reasoning_raw_content':
    case 'token_count':
    case 'context_compacted':
    case 'entered_review_mode':
    case 'exited_review_mode':
    case 'undo_completed':
    case 'turn_aborted':
    case 'task_started':
    case 'task_complete':
    case 'item_completed':
    case 'other':
      // The model sees response items only; these events are the client's view of them.
      return history;
    default:
      return assertNever(event);
  }
};

/**
 * Folds one rollout line into the model history: response items are appended, a `compacted`
 * line replaces the history (with its `replacement_history`, or by the local rebuild: initial
 * context + recent user messages + summary), and `thread_rolled_back` drops the last N user turns.
 * Pure; returns the same object when the line changes nothing.
 *
 * @example
 * const history = lines.reduce(historyReducer, initialHistory());
 * historyForPrompt(history); // ResponseItem[] for the next model request
 */
export const historyReducer = (history: ModelHistory, line: RolloutLine): ModelHistory => {
  switch (line.type) {
    case 'response_item':
      return isRecorded(line.payload) ? { ...history, items: append(history.items, line.payload) } : history;
    case 'compacted':
      return compact(history, line.payload);
    case 'event_msg':
      return onEvent(history, line.payload);
    case 'session_meta':
    case 'turn_context':
      return history;
    default:
      return assertNever(line);
  }
};

/**
 * The raw history as an array, oldest first.
 *
 * @example
 * historyItems(lines.reduce(historyReducer, initialHistory())).length;
 */
export const historyItems = (history: ModelHistory): ResponseItem[] => toArray(history.items);

/**
 * The items of the next model request: the history without ghost snapshots, which the reference
 * keeps for undo but never sends.
 *
 * @example
 * client.request({ input: historyForPrompt(history).map(RolloutResponseItem.encode) });
 */
export const historyForPrompt = (history: ModelHistory): ResponseItem[] => historyItems(history).filter((item) => item.type !== 'ghost_snapshot');
