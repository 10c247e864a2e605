import { filter, lastValueFrom, map, takeWhile, toArray } from 'rxjs';
import type { ResponseItem } from '../protocol/index.js';
import { readRollout, type RolloutReadOptions } from '../rollout/rolloutReader.js';
import { initialHistory } from '../../reducers/historyReducer.js';
import { initialRolloutState, type RolloutState } from '../../reducers/rolloutReducer.js';
import { realUserMessageText } from '../../reducers/userMessages.js';

/**
 * The initial context a rollout recorded: its response items before the first real user message
 * (permissions, AGENTS.md, environment context…). Reads only that head of the file as it is now
 * (never following it), quietly: the full read that follows reports bad lines once.
 *
 * @example
 * await recordedInitialContext(path); // [{ type: 'message', role: 'developer', … }, …]
 */
export const recordedInitialContext = (path: string, options?: RolloutReadOptions): Promise<ResponseItem[]> =>
  lastValueFrom(
    readRollout(path, { ...options, warn: () => undefined, onStats: undefined, follow: false }).pipe(
      filter((line) => line.type === 'response_item'),
      map((line) => line.payload as ResponseItem),
      takeWhile((item) => realUserMessageText(item) === undefined),
      toArray(),
    ),
  );

/**
 * The state a replay of `path` folds from. A local compaction stores only its summary, and the
 * history is rebuilt around the session's initial context, which the live server has in memory
 * and a file does not hold as such; the one recorded at the start of the file is what a resume
 * with unchanged settings rebuilds around, so replays seed the history with it.
 *
 * @example
 * replay(path).pipe(scan(rolloutReducer, await replayInitialState(path)));
 */
export const replayInitialState = async (path: string, options?: RolloutReadOptions): Promise<RolloutState> =>
  initialRolloutState(initialHistory(await recordedInitialContext(path, options)));
