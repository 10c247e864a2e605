import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ThreadSetNameParams, ThreadSetNameResponse } from '../../protocol/v2/threadMethods.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { loadedThread } from './threadSupport.js';

/** The append-only file of thread names, shared with the reference (SPEC §6.1). */
export const SESSION_INDEX = 'session_index.jsonl';

/**
 * `thread/name/set` (SPEC §4.8): appends `{id, thread_name, updated_at}` to
 * `session_index.jsonl` (newest line wins), answers `{}`, then tells subscribers
 * `thread/name/updated`. Names are not part of the rollout.
 */
export const threadNameSet = handle('thread/name/set', ThreadSetNameParams, ThreadSetNameResponse, async (params, ctx) => {
  const name = params.name.trim();
  if (name === '') throw rpcError.invalidRequest('thread name must not be empty', 'invalidParams');
  const thread = loadedThread(ctx.server, params.threadId);
  if (thread.ephemeral) {
    throw rpcError.invalidRequest('Session persistence is disabled; cannot rename thread.', 'ephemeralThread');
  }
  const line = { id: thread.id, thread_name: name, updated_at: ctx.server.world.now().toISOString().replace(/\.\d{3}Z$/, 'Z') };
  await appendFile(join(ctx.server.codexHome, SESSION_INDEX), `${JSON.stringify(line)}\n`);
  ctx.afterResponse(() => thread.notify('thread/name/updated', { threadId: thread.id, threadName: name }));
  return {};
});
