import type { ResponseItem } from '../lib/protocol/index.js';
import type { Compacted } from '../lib/rollout/compacted.js';
import type { EventMsg } from '../lib/rollout/eventMsg.js';
import type { RolloutLine } from '../lib/rollout/rolloutLine.js';
import type { LineRef } from '../lib/rollout/storedLines.js';
import { assertNever } from './assertNever.js';
import { append, type ChunkedList, emptyList, fromArray, toArray } from './chunkedList.js';
import { rebuildCompactedHistory } from './compactedHistory.js';
import { realUserMessageText } from './userMessages.js';

/**
 * A history item left in the rollout it was read from: the line at `offset` (`length` bytes) is
 * a `response_item` of type `itemType`. A resumed thread keeps its large items this way, so its
 * memory is bounded by its small items, not by its file; `historyForPrompt` reads them back.
 */
export interface StoredItem extends LineRef {
  readonly type: 'stored';
  readonly itemType: ResponseItem['type'];
}

/** One item of the history: in memory, or stored in the rollout. */
export type HistoryEntry = ResponseItem | StoredItem;

/**
 * Items read from a rollout are stored there rather than kept when their line is at least this
 * long. Smaller ones cost less in memory than a reference and a later read.
 */
export const STORED_ITEM_MIN_BYTES = 1024;

/**
 * What the model sees on the next request, as the reference reconstructs it on resume
 * (`reconstruct_history_from_rollout`, SPEC §6.5).
 */
export interface ModelHistory {
  /** The raw history, oldest first (ghost snapshots included); read it with {@link historyEntries}. */
  readonly items: ChunkedList<HistoryEntry>;
  /** The rollout that stored items are lines of (`null`: the history holds none). */
  readonly source: string | null;
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
export const initialHistory = (initialContext: ResponseItem[] = []): ModelHistory => ({ items: emptyList(), initialContext, summaries: [], source: null });

/** The text of a real user message (see `realUserMessageText`); a stored item never is one. */
const userText = (entry: HistoryEntry): string | undefined => (entry.type === 'stored' ? undefined : realUserMessageText(entry));

/** A user-role message stays in memory whatever its size: rollback and compaction read its text. */
const mayStore = (item: ResponseItem): boolean => !(item.type === 'message' && item.role === 'user');

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
  const starts = items.flatMap((item, index) => (userText(item) === undefined ? [] : [index]));
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
    const text = userText(item);
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
 * promptEntries(history); // what the next model request carries
 */
export const historyReducer = (history: ModelHistory, line: RolloutLine): ModelHistory => historyReducerAt(history, line, null);

/**
 * {@link historyReducer} for a line read from the rollout `history.source` at `at`: a recorded
 * item whose line is at least {@link STORED_ITEM_MIN_BYTES} long (and is not a user message) is
 * kept as a {@link StoredItem} instead of in memory. With `at` `null`, every item stays in memory.
 *
 * @example
 * readRolloutAt(path).pipe(reduce((h, { line, at }) => historyReducerAt(h, line, at), { ...initialHistory(), source: path }));
 */
export const historyReducerAt = (history: ModelHistory, line: RolloutLine, at: LineRef | null): ModelHistory => {
  switch (line.type) {
    case 'response_item': {
      const item = line.payload;
      if (!isRecorded(item)) return history;
      const store = at !== null && history.source !== null && at.length >= STORED_ITEM_MIN_BYTES && mayStore(item);
      const entry: HistoryEntry = store ? { type: 'stored', itemType: item.type, offset: at.offset, length: at.length } : item;
      return { ...history, items: append(history.items, entry) };
    }
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
 * historyEntries(lines.reduce(historyReducer, initialHistory())).length;
 */
export const historyEntries = (history: ModelHistory): HistoryEntry[] => toArray(history.items);

/**
 * The entries of the next model request: the history without ghost snapshots, which the reference
 * keeps for undo but never sends. Stored entries are still to be read (`historyForPrompt` does).
 *
 * @example
 * promptEntries(history).filter((entry) => entry.type === 'stored').length; // items to read back
 */
export const promptEntries = (history: ModelHistory): HistoryEntry[] =>
  historyEntries(history).filter((entry) => (entry.type === 'stored' ? entry.itemType : entry.type) !== 'ghost_snapshot');
