import { defer, from, mergeMap, type Observable, scan } from 'rxjs';
import { codexHomeOf } from '../lib/config/codexHome.js';
import { replayInitialState } from '../lib/replay/recordedState.js';
import { resolveRollout } from '../lib/replay/resolveRollout.js';
import { readRolloutAt, type RolloutReadOptions } from '../lib/rollout/rolloutReader.js';
import type { RolloutLine } from '../lib/rollout/rolloutLine.js';
import { rolloutReducerAt, type RolloutState } from '../reducers/rolloutReducer.js';
import { replay } from './replay.js';

export interface OpenThreadOptions extends RolloutReadOptions {
  /** Where a thread id is looked up; default `CODEX_HOME`, else `~/.codex`. */
  readonly codexHome?: string;
}

/** A thread as two cold streams over its rollout. */
export interface OpenedThread {
  /** The persisted lines, in file order; each subscription reads the file anew. */
  readonly events$: Observable<RolloutLine>;
  /**
   * The state after each line: `events$` folded as the server folds a file it loads (the model
   * history keeps large items in the file; `historyForPrompt` reads them back).
   */
  readonly state$: Observable<RolloutState>;
}

/**
 * Opens a thread for a custom view: a rollout path, or a thread id looked up under `codexHome`
 * (`sessions/`, then `archived_sessions/`). Nothing is read until a stream is subscribed; both
 * stream the file (memory bounded by the state, not the file) and complete at its end — or, with
 * `follow: true`, go on live with each line a server appends (a loaded thread's turns as they
 * run), until unsubscribed or the rollout is moved (archived) or deleted. A missing
 * file or unknown id errors with a `RolloutReadError`; bad lines are skipped as the server skips
 * them. `state$` seeds the history with the context recorded at the head of the file, which a
 * local compaction rebuilds around (see `replayInitialState`).
 *
 * @example
 * const { events$, state$ } = openThread('0194f7a2-…');
 * state$.pipe(last()).subscribe(({ thread }) => console.log(threadTurns(thread).length, 'turns'));
 * events$.pipe(filter((line) => line.type === 'response_item' && line.payload.type === 'function_call'), count()).subscribe(console.log);
 * openThread('0194f7a2-…', { follow: true }).state$.subscribe(({ thread }) => render(threadTurns(thread)));
 */
export const openThread = (rolloutPathOrThreadId: string, options: OpenThreadOptions = {}): OpenedThread => {
  const path$ = defer(() => resolveRollout(rolloutPathOrThreadId, options.codexHome ?? codexHomeOf(process.env)));
  const events$ = path$.pipe(mergeMap((path) => replay(path, options)));
  const state$ = path$.pipe(
    mergeMap((path) =>
      from(replayInitialState(path, options)).pipe(
        mergeMap((initial) => readRolloutAt(path, options).pipe(scan(rolloutReducerAt, { ...initial, history: { ...initial.history, source: path } }))),
      ),
    ),
  );
  return { events$, state$ };
};
