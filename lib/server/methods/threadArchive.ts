import { mkdir, rename, utimes } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import {
  ThreadArchiveParams,
  ThreadArchiveResponse,
  ThreadUnarchiveParams,
  ThreadUnarchiveResponse,
} from '../../protocol/v2/threadMethods.js';
import { readView, toThread } from '../../../reducers/threadSummaryReducer.js';
import { loadRollout } from '../../../streams/replay.js';
import {
  ARCHIVED_DIR,
  findArchivedRollout,
  findRollout,
  isInside,
  rolloutDateParts,
  SESSIONS_DIR,
} from '../../threads/rolloutLocation.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { threadIdParam } from './threadSupport.js';

/**
 * `thread/archive` (SPEC §4.8): moves the rollout to `archived_sessions/` after checking that it
 * really is this thread's file inside `sessions/`; a loaded thread is closed first.
 */
export const threadArchive = handle('thread/archive', ThreadArchiveParams, ThreadArchiveResponse, async (params, ctx) => {
  const server = ctx.server;
  const id = threadIdParam(params.threadId);
  const path = await findRollout(server.codexHome, id);
  if (!path) throw rpcError.invalidRequest(`no rollout found for thread id ${id}`, 'threadNotFound');
  if (!(await isInside(path, join(server.codexHome, SESSIONS_DIR)))) {
    throw rpcError.invalidRequest(`rollout path \`${path}\` must be in sessions directory`, 'invalidRolloutPath');
  }
  if (!basename(path).toLowerCase().endsWith(`${id}.jsonl`)) {
    throw rpcError.invalidRequest(`rollout path \`${path}\` does not match thread id ${id}`, 'invalidRolloutPath');
  }
  await (await server.threads.remove(id))?.close();
  const target = join(server.codexHome, ARCHIVED_DIR, basename(path));
  try {
    await mkdir(join(server.codexHome, ARCHIVED_DIR), { recursive: true });
    await rename(path, target);
  } catch (err) {
    throw rpcError.internal(`failed to archive thread: ${(err as Error).message}`);
  }
  server.threadIndex.noteMoved(path, target);
  return {};
});

/**
 * `thread/unarchive` (SPEC §4.8): moves an archived rollout back under its date folder and bumps
 * its mtime (so it sorts as recently updated); answers with its summary.
 */
export const threadUnarchive = handle('thread/unarchive', ThreadUnarchiveParams, ThreadUnarchiveResponse, async (params, ctx) => {
  const server = ctx.server;
  const id = threadIdParam(params.threadId);
  const path = await findArchivedRollout(server.codexHome, id);
  if (!path) throw rpcError.invalidRequest(`no archived rollout found for thread id ${id}`, 'threadNotFound');
  if (!(await isInside(path, join(server.codexHome, ARCHIVED_DIR)))) {
    throw rpcError.invalidRequest(`rollout path \`${path}\` must be in archived directory`, 'invalidRolloutPath');
  }
  const date = rolloutDateParts(path);
  if (!date) throw rpcError.invalidRequest(`rollout path \`${path}\` missing filename timestamp`, 'invalidRolloutPath');
  const dir = join(server.codexHome, SESSIONS_DIR, ...date);
  const target = join(dir, basename(path));
  try {
    await mkdir(dir, { recursive: true });
    await rename(path, target);
    const now = server.world.now();
    await utimes(target, now, now);
  } catch (err) {
    throw rpcError.internal(`failed to unarchive thread: ${(err as Error).message}`);
  }
  server.threadIndex.noteMoved(path, target);
  const state = await lastValueFrom(loadRollout(target));
  const thread = toThread(readView(state.summary), [], {
    path: target,
    updatedAt: Math.floor(server.world.now().getTime() / 1000),
    defaultModelProvider: 'openai',
  });
  if (!thread) throw rpcError.internal(`rollout \`${target}\` does not start with session metadata`);
  return { thread };
});
