import { join } from 'node:path';
import { RolloutReadError } from '../rollout/rolloutReader.js';
import { ARCHIVED_DIR, findArchivedRollout, findRollout, isThreadId, SESSIONS_DIR } from '../threads/rolloutLocation.js';

/**
 * The rollout file a replay reads: a bare thread id (a UUID) is looked up under
 * `codexHome/sessions/` and then `codexHome/archived_sessions/` (a replay reads archived threads
 * too, unlike `thread/read`); anything else is a path, returned as given (`./<uuid>` forces a
 * path). An unknown id rejects with a `RolloutReadError` of kind `notFound`, the error a missing
 * path gives once it is read.
 *
 * @example
 * await resolveRollout('0194f7a2-…', '/home/u/.codex'); // '/home/u/.codex/sessions/2026/02/12/rollout-…-0194f7a2-….jsonl'
 * await resolveRollout('./thread.jsonl', '/home/u/.codex'); // './thread.jsonl'
 */
export const resolveRollout = async (pathOrThreadId: string, codexHome: string): Promise<string> => {
  if (!isThreadId(pathOrThreadId)) return pathOrThreadId;
  const found = (await findRollout(codexHome, pathOrThreadId)) ?? (await findArchivedRollout(codexHome, pathOrThreadId));
  if (found !== undefined) return found;
  throw new RolloutReadError(
    'notFound',
    pathOrThreadId,
    `no rollout for thread ${pathOrThreadId} under ${join(codexHome, SESSIONS_DIR)} or ${join(codexHome, ARCHIVED_DIR)}`,
  );
};
