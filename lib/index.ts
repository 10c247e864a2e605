/**
 * rxagent as a library (`import … from 'rxagent'`): a thread's rollout as RxJS streams, the pure
 * reducers the server folds them with, and the operators it is built from, for custom views
 * (dashboards, metrics, test assertions). Nothing here starts a server or touches the network;
 * files are read only when a stream is subscribed.
 *
 * @example
 * import { openThread, threadTurns } from 'rxagent';
 * import { last } from 'rxjs';
 * openThread('/home/u/.codex/sessions/2026/02/12/rollout-….jsonl').state$
 *   .pipe(last())
 *   .subscribe(({ thread }) => console.log(threadTurns(thread).length, 'turns'));
 */

/**
 * A thread's rollout as `events$` (the persisted lines) and `state$` (their fold), by path or id.
 *
 * @example
 * const { events$, state$ } = openThread(threadId, { codexHome: '/home/u/.codex' });
 */
export { openThread, type OpenedThread, type OpenThreadOptions } from '../streams/openThread.js';

/**
 * The v2 notifications a client saw while the lines were written (what `rxagent replay
 * --notifications` prints).
 *
 * @example
 * replay(path).pipe(toNotifications(), filter((n) => n.method === 'turn/completed')).subscribe(console.log);
 */
export { toNotifications, type ReplayNotification } from './replay/toNotifications.js';

/**
 * Lower-level readers: `replay` streams a rollout's lines, `loadRollout` folds them to the final
 * state and fails on a file that holds no thread, `replayInitialState` is the state a replay
 * folds from (the recorded initial context seeded), `resolveRollout` finds a thread id's file.
 *
 * @example
 * const state = await lastValueFrom(loadRollout(path)); // thread/read, without a server
 * replay(path).pipe(scan(rolloutReducer, await replayInitialState(path)));
 * await resolveRollout(threadId, codexHome); // '…/sessions/2026/02/12/rollout-….jsonl'
 */
export { loadRollout, replay, RolloutLoadError, type LoadRolloutOptions, type RolloutLoadErrorKind } from '../streams/replay.js';
export { replayInitialState } from './replay/recordedState.js';
export { resolveRollout } from './replay/resolveRollout.js';
export { RolloutReadError, type RolloutReadErrorKind, type RolloutReadOptions, type RolloutReadStats } from './rollout/rolloutReader.js';

/**
 * All three reducers side by side (`rolloutReducer`), the state they start from, and a fold over
 * an array of lines.
 *
 * @example
 * events$.pipe(scan(rolloutReducer, initialRolloutState()));
 * foldRollout(lines).summary.preview;
 */
export { foldRollout, initialRolloutState, rolloutReducer, type RolloutState } from '../reducers/rolloutReducer.js';

/**
 * The client's view: turns and items as `thread/read` rebuilds them (SPEC §6.5).
 *
 * @example
 * threadTurns(lines.reduce(threadReducer, initialThreadState)); // Turn[]
 */
export { initialThreadState, threadReducer, threadTurns, type PendingTurn, type ThreadState } from '../reducers/threadReducer.js';

/**
 * The model's view: the history the next model request sends. A history loaded from a file
 * (`loadRollout`) keeps its large items there; `historyForPrompt` reads them back.
 *
 * @example
 * await historyForPrompt(lines.reduce(historyReducer, initialHistory())); // ResponseItem[]
 */
export {
  historyEntries,
  historyReducer,
  historyReducerAt,
  initialHistory,
  promptEntries,
  type HistoryEntry,
  type ModelHistory,
  type StoredItem,
} from '../reducers/historyReducer.js';
export { historyForPrompt } from './threads/promptHistory.js';

/**
 * The thread-list entry, and the wire `Thread` built from it.
 *
 * @example
 * toThread(state.summary, threadTurns(state.thread), { path, defaultModelProvider: 'openai' });
 */
export {
  initialThreadSummary,
  threadSummaryReducer,
  toThread,
  type ThreadFileInfo,
  type ThreadSummary,
  type ThreadSummaryMeta,
} from '../reducers/threadSummaryReducer.js';

/**
 * The streaming splitter of tagged blocks (`<proposed_plan>` in plan mode), as an operator and
 * for whole messages.
 *
 * @example
 * deltas$.pipe(taggedBlocks(['proposed_plan'])); // text · blockStart · blockText · blockEnd
 * parseTaggedBlocks('a\n<note>\nb\n</note>\n', ['note']);
 */
export { parseTaggedBlocks, taggedBlocks, type Segment, type TagSpec } from '../streams/taggedBlocks.js';

/**
 * The persisted events: one rollout line (`RolloutLine` is also its io-ts codec) and its payloads.
 *
 * @example
 * events$.pipe(filter((line): line is EventMsgLine => line.type === 'event_msg'), map((line) => line.payload.type));
 */
export { RolloutLine } from './rollout/rolloutLine.js';
export type { CompactedLine, EventMsgLine, ResponseItemLine, SessionMetaLine, TurnContextLine } from './rollout/rolloutLine.js';
export type { EventMsg, KnownEventMsg } from './rollout/eventMsg.js';
export type { SessionMeta } from './rollout/sessionMeta.js';
export type { TurnContext } from './rollout/turnContext.js';
export type { Compacted } from './rollout/compacted.js';

/**
 * The v2 wire types the views produce.
 *
 * @example
 * const agentTexts = (turn: Turn): string[] => turn.items.flatMap((item: ThreadItem) => (item.type === 'agentMessage' ? [item.text] : []));
 */
export type { ResponseItem, Thread, ThreadItem, ThreadTokenUsage, Turn, TurnStatus, UserInput } from './protocol/index.js';
