import { ThreadResumeParams, ThreadResumeResponse } from '../../protocol/v2/threadMethods.js';
import { findRollout } from '../../threads/rolloutLocation.js';
import { fromSerde } from '../../rollout/responseItem.js';
import { historyThread, resumeThread } from '../../threads/threadFactory.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { factoryDeps, sessionRequest, sessionTail, threadIdParam } from './threadSupport.js';

/**
 * The reference's deserializer takes history items in their Responses API form (a bare
 * `function_call_output.output`, no reasoning `id`), which its schema does not describe; both are
 * taken here, as rollout lines are.
 */
const historyItemsAsWritten = (params: unknown): unknown => {
  if (typeof params !== 'object' || params === null || !Array.isArray((params as { history?: unknown }).history)) return params;
  return { ...params, history: ((params as { history: unknown[] }).history).map(fromSerde) };
};

/**
 * `thread/resume` (SPEC §4.3): with the experimental `history`, a new thread of those items (like
 * a fork of them); else a loaded thread is served from memory, or its rollout is found by id (or
 * taken from the experimental `path`) and replayed. The caller is subscribed; the response
 * carries the rebuilt turns. No `thread/started`.
 */
export const threadResume = handle('thread/resume', ThreadResumeParams, ThreadResumeResponse, async (params, ctx) => {
  const server = ctx.server;
  if (params.history && params.history.length === 0) throw rpcError.invalidRequest('history must not be empty', 'invalidParams');
  if (params.history) {
    const thread = await historyThread(factoryDeps(server), params.history, sessionRequest(params));
    server.threads.add(thread);
    server.threads.subscribe(thread, ctx.session);
    return { thread: await thread.toWire(true, server.world.now()), ...sessionTail(thread) };
  }
  const id = params.path ? undefined : threadIdParam(params.threadId);
  const thread = await server.threads.load(id, async () => {
    const path = params.path ?? (await findRollout(server.codexHome, id!));
    if (!path) throw rpcError.invalidRequest(`no rollout found for thread id ${params.threadId}`, 'threadNotFound');
    return resumeThread(factoryDeps(server), path, sessionRequest(params));
  });
  server.threads.subscribe(thread, ctx.session);
  return { thread: await thread.toWire(true, server.world.now()), ...sessionTail(thread) };
}, historyItemsAsWritten);
