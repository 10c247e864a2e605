import { defer, map, type Observable, reduce } from 'rxjs';
import type { ResponseItem } from '../lib/protocol/index.js';
import { readRollout, readRolloutAt, type RolloutReadOptions, type RolloutReadStats } from '../lib/rollout/rolloutReader.js';
import type { RolloutLine } from '../lib/rollout/rolloutLine.js';
import { initialHistory } from '../reducers/historyReducer.js';
import { initialRolloutState, rolloutReducerAt, type RolloutState } from '../reducers/rolloutReducer.js';

/**
 * A rollout file as a cold stream of its lines: each subscription opens and streams the file
 * anew, one line in memory at a time; unsubscribing stops the reading. Bad lines are skipped as
 * `readRollout` describes; an unreadable file errors with a `RolloutReadError`.
 *
 * @example
 * replay(path).pipe(scan(threadReducer, initialThreadState)).subscribe(render);
 */
export const replay = (path: string, options?: RolloutReadOptions): Observable<RolloutLine> => readRollout(path, options);

/** Why a readable file is still not a thread (the reference's `load_rollout_items` errors, SPEC §6.2). */
export type RolloutLoadErrorKind = 'empty' | 'noSessionMeta';

/**
 * A rollout that was read but holds no thread: nothing but blank lines, or no `session_meta`.
 * The messages are the reference's.
 */
export class RolloutLoadError extends Error {
  override readonly name = 'RolloutLoadError';
  constructor(
    readonly kind: RolloutLoadErrorKind,
    readonly path: string,
  ) {
    super(kind === 'empty' ? 'empty session file' : 'failed to parse thread ID from rollout file');
  }
}

export interface LoadRolloutOptions extends RolloutReadOptions {
  /** The session's initial context, which a local compaction's history is rebuilt around. */
  readonly initialContext?: ResponseItem[];
}

/**
 * Replays a rollout through the reducers and emits the final state once (thread/read, resume,
 * fork, rollback). The history keeps its large items in the file (`historyReducerAt`), so the
 * state of a long thread costs memory for its turns and small items only; `historyForPrompt`
 * reads the rest back. Errors like the reference's loader: a file with no lines is `empty session
 * file`, a file without `session_meta` cannot name its thread.
 *
 * @example
 * loadRollout(path).subscribe(({ thread, summary }) => respond(toThread(summary, threadTurns(thread), { path, defaultModelProvider })));
 */
export const loadRollout = (path: string, options: LoadRolloutOptions = {}): Observable<RolloutState> =>
  defer(() => {
    let stats: RolloutReadStats | undefined;
    const onStats = (read: RolloutReadStats): void => {
      stats = read;
      options.onStats?.(read);
    };
    // A final state needs the file's end: never followed.
    return readRolloutAt(path, { ...options, onStats, follow: false }).pipe(
      reduce(rolloutReducerAt, initialRolloutState({ ...initialHistory(options.initialContext), source: path })),
      map((state) => {
        // `readRollout` reports its counts before it completes, so they are known here.
        if (stats === undefined || stats.lines === stats.blank) throw new RolloutLoadError('empty', path);
        if (state.thread.sessionMeta === null) throw new RolloutLoadError('noSessionMeta', path);
        return state;
      }),
    );
  });
