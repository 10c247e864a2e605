import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { first, firstValueFrom, lastValueFrom, tap } from 'rxjs';
import type { Thread } from '../protocol/index.js';
import { codexHomeOf } from '../config/codexHome.js';
import { RolloutResponseItem } from '../rollout/responseItem.js';
import { readRollout, type RolloutReadStats } from '../rollout/rolloutReader.js';
import { historyForPrompt } from '../threads/promptHistory.js';
import type { RolloutState } from '../../reducers/rolloutReducer.js';
import { threadTurns } from '../../reducers/threadReducer.js';
import { readView, toThread } from '../../reducers/threadSummaryReducer.js';
import { loadRollout, replay, RolloutLoadError } from '../../streams/replay.js';
import { recordedInitialContext } from './recordedState.js';
import { resolveRollout } from './resolveRollout.js';
import { toNotifications } from './toNotifications.js';

const REPLAY_USAGE = '  rxagent replay <rollout.jsonl | thread-id> [--turns | --notifications [--follow] | --history]\n';

/** The process streams and environment the command uses, passed in rather than taken from globals. */
export interface ReplayIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}

type Mode = 'turns' | 'notifications' | 'history';

class ReplayUsageError extends Error {}

// A meta without a provider (old files) names the default one, as `thread/read` does.
const DEFAULT_PROVIDER = 'openai';

const parse = (args: readonly string[]): { target: string; mode: Mode; follow: boolean } => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { turns: { type: 'boolean' }, notifications: { type: 'boolean' }, history: { type: 'boolean' }, follow: { type: 'boolean' } },
    });
  } catch (err) {
    throw new ReplayUsageError((err as Error).message);
  }
  const modes = (['turns', 'notifications', 'history'] as const).filter((mode) => parsed.values[mode] === true);
  if (modes.length > 1) throw new ReplayUsageError(`choose one of --turns, --notifications, --history (got ${modes.map((m) => `--${m}`).join(', ')})`);
  const [target, ...extra] = parsed.positionals;
  if (target === undefined) throw new ReplayUsageError('missing the rollout file or thread id');
  if (extra.length > 0) throw new ReplayUsageError(`unexpected argument \`${extra[0]}\``);
  const mode = modes[0] ?? 'turns';
  const follow = parsed.values.follow === true;
  if (follow && mode !== 'notifications') throw new ReplayUsageError('--follow goes with --notifications');
  return { target, mode, follow };
};

/** The final state, seeded with the recorded initial context (see `replayInitialState`). */
const finalState = async (path: string): Promise<RolloutState> =>
  lastValueFrom(loadRollout(path, { initialContext: await recordedInitialContext(path) }));

/** `thread/read` with `includeTurns`: `updatedAt` is the file's mtime, as the reference reports it. */
const threadRead = async (path: string): Promise<{ thread: Thread }> => {
  const state = await finalState(path);
  const mtime = Math.floor((await stat(path)).mtimeMs / 1000);
  // `loadRollout` has checked there is a session_meta, so there is a thread.
  const thread = toThread(readView(state.summary), threadTurns(state.thread), { path: resolve(path), updatedAt: mtime, defaultModelProvider: DEFAULT_PROVIDER }) as Thread;
  return { thread };
};

/**
 * Fails like `loadRollout` on a file that holds no thread, before any notification is printed.
 * Reads only up to the first `session_meta` (normally line 1).
 */
const requireSessionMeta = async (path: string): Promise<void> => {
  let stats: RolloutReadStats | undefined;
  const meta = await firstValueFrom(
    readRollout(path, { onStats: (read) => (stats = read) }).pipe(first((line) => line.type === 'session_meta', undefined)),
  );
  if (meta !== undefined) return;
  throw new RolloutLoadError(stats === undefined || stats.lines === stats.blank ? 'empty' : 'noSessionMeta', path);
};

const run = async (path: string, mode: Mode, follow: boolean, out: ReplayIo['stdout']): Promise<void> => {
  switch (mode) {
    case 'turns':
      out.write(`${JSON.stringify(await threadRead(path), null, 2)}\n`);
      return;
    case 'history': {
      const items = (await historyForPrompt((await finalState(path)).history)).map((item) => RolloutResponseItem.encode(item));
      out.write(`${JSON.stringify(items, null, 2)}\n`);
      return;
    }
    case 'notifications':
      await requireSessionMeta(path);
      // Streamed: one notification per line as the file is read, never the whole list in memory;
      // followed, each as the thread's server writes it, until the rollout is archived or deleted.
      await lastValueFrom(replay(path, { follow }).pipe(toNotifications(), tap((notification) => out.write(`${JSON.stringify(notification)}\n`))), {
        defaultValue: undefined,
      });
      return;
  }
};

const explain = (err: unknown): string => {
  if (err instanceof RolloutLoadError) {
    return err.kind === 'empty'
      ? `${err.path} is empty (${err.message})`
      : `${err.path} is not a rollout: it has no session_meta line (${err.message})`;
  }
  return err instanceof Error ? err.message : String(err);
};

/**
 * `rxagent replay <rollout.jsonl | thread-id> [--turns | --notifications | --history]` (SPEC §I.4):
 * prints, computed by the reducers the live server uses,
 * - `--turns` (default): the `thread/read` result with `includeTurns` (`{thread}`, pretty JSON);
 * - `--notifications`: the v2 notifications a client saw for the persisted part, one JSON message
 *   `{method, params}` per line (see `toNotifications`); with `--follow`, then those of every line
 *   appended, as it is written, until the rollout is archived or deleted (or the process killed);
 * - `--history`: the model-visible history, the `input` of the next model request (pretty JSON).
 *
 * A thread id is looked up under `CODEX_HOME`. Resolves to the exit code: 0; 1 when the file is
 * missing, unreadable, empty or not a rollout; 2 on bad arguments. Errors go to stderr.
 *
 * @example
 * process.exitCode = await replayCommand(['thread.jsonl', '--notifications'], process);
 */
export const replayCommand = async (args: readonly string[], io: ReplayIo): Promise<number> => {
  try {
    const { target, mode, follow } = parse(args);
    await run(await resolveRollout(target, codexHomeOf(io.env)), mode, follow, io.stdout);
    return 0;
  } catch (err) {
    if (err instanceof ReplayUsageError) {
      io.stderr.write(`rxagent replay: ${err.message}\nUsage:\n${REPLAY_USAGE}`);
      return 2;
    }
    io.stderr.write(`rxagent replay: ${explain(err)}\n`);
    return 1;
  }
};
