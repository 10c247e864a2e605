import type { RolloutLine } from '../lib/rollout/rolloutLine.js';
import type { PositionedLine } from '../lib/rollout/storedLines.js';
import { historyReducerAt, initialHistory, type ModelHistory } from './historyReducer.js';
import { initialThreadState, threadReducer, type ThreadState } from './threadReducer.js';
import { initialThreadSummary, threadSummaryReducer, type ThreadSummary } from './threadSummaryReducer.js';

/** Everything derived from one rollout: the client's view, the model's view, the list entry. */
export interface RolloutState {
  readonly thread: ThreadState;
  readonly history: ModelHistory;
  readonly summary: ThreadSummary;
}

/**
 * The state before any line; `history` is seeded with the session's initial context when the
 * caller has one (see `initialHistory`).
 *
 * @example
 * initialRolloutState(); // nothing folded yet
 */
export const initialRolloutState = (history: ModelHistory = initialHistory()): RolloutState => ({
  thread: initialThreadState,
  history,
  summary: initialThreadSummary,
});

const fold = (state: RolloutState, line: RolloutLine, at: PositionedLine['at'] | null): RolloutState => {
  const thread = threadReducer(state.thread, line);
  const history = historyReducerAt(state.history, line, at);
  const summary = threadSummaryReducer(state.summary, line);
  return thread === state.thread && history === state.history && summary === state.summary ? state : { thread, history, summary };
};

/**
 * The three reducers side by side over the same line. Returns the same object when none of them
 * changed, so `distinctUntilChanged()` after `scan(rolloutReducer, …)` only passes real changes.
 *
 * @example
 * replay(path).pipe(scan(rolloutReducer, initialRolloutState()));
 */
export const rolloutReducer = (state: RolloutState, line: RolloutLine): RolloutState => fold(state, line, null);

/**
 * {@link rolloutReducer} over a line read from the rollout the history's `source` names: large
 * items stay in the file (see `historyReducerAt`).
 *
 * @example
 * readRolloutAt(path).pipe(reduce(rolloutReducerAt, initialRolloutState({ ...initialHistory(), source: path })));
 */
export const rolloutReducerAt = (state: RolloutState, { line, at }: PositionedLine): RolloutState => fold(state, line, at);


/**
 * Folds a whole sequence of lines, optionally continuing from an earlier state (folding a prefix
 * and then the rest gives the same state as folding everything).
 *
 * @example
 * const { thread, history, summary } = foldRollout(lines);
 * threadTurns(thread); // the turns thread/read returns
 */
export const foldRollout = (lines: Iterable<RolloutLine>, from: RolloutState = initialRolloutState()): RolloutState => {
  let state = from;
  for (const line of lines) state = rolloutReducer(state, line);
  return state;
};
