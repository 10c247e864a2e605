import { lastValueFrom } from 'rxjs';
import { stat } from 'node:fs/promises';
import { ThreadReadParams, ThreadReadResponse } from '../../protocol/v2/threadMethods.js';
import { threadTurns } from '../../../reducers/threadReducer.js';
import { readView, toThread } from '../../../reducers/threadSummaryReducer.js';
import { loadRollout } from '../../../streams/replay.js';
import { findRollout } from '../../threads/rolloutLocation.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { threadIdParam } from './threadSupport.js';

/** The provider a thread falls back to when its meta names none: the configured default. */
const DEFAULT_PROVIDER = 'openai';

/**
 * `thread/read` (SPEC §4.5): a loaded thread is read from memory (the state its rollout folds
 * to); otherwise its rollout is replayed without loading the thread.
 */
export const threadRead = handle('thread/read', ThreadReadParams, ThreadReadResponse, async (params, ctx) => {
  const server = ctx.server;
  const id = threadIdParam(params.threadId);
  const includeTurns = params.includeTurns ?? false;
  const loaded = server.threads.get(id);
  if (loaded) {
    if (includeTurns && loaded.ephemeral) throw rpcError.invalidRequest('ephemeral threads do not support includeTurns', 'ephemeralThread');
    if (includeTurns && !loaded.writer?.isMaterialized) {
      throw rpcError.invalidRequest(
        `thread ${id} is not materialized yet; includeTurns is unavailable before first user message`,
        'threadNotMaterialized',
      );
    }
    return { thread: await loaded.toWire(includeTurns, server.world.now()) };
  }
  const path = await findRollout(server.codexHome, id);
  if (!path) throw rpcError.invalidRequest(`thread not loaded: ${id}`, 'threadNotFound');
  const state = await lastValueFrom(loadRollout(path)).catch((err: unknown) => {
    throw rpcError.internal(`failed to load rollout \`${path}\`: ${(err as Error).message}`);
  });
  const mtime = await stat(path).then((s) => Math.floor(s.mtimeMs / 1000));
  const thread = toThread(readView(state.summary), includeTurns ? threadTurns(state.thread) : [], {
    path,
    updatedAt: mtime,
    defaultModelProvider: DEFAULT_PROVIDER,
  });
  if (!thread) throw rpcError.internal(`rollout \`${path}\` does not start with session metadata`);
  return { thread };
});
