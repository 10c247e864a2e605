import { ThreadResumeParams, ThreadResumeResponse } from '../../protocol/v2/threadMethods.js';
import { findRollout } from '../../threads/rolloutLocation.js';
import { resumeThread } from '../../threads/threadFactory.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { factoryDeps, sessionRequest, sessionTail, threadIdParam } from './threadSupport.js';

/**
 * `thread/resume` (SPEC §4.3): a loaded thread is served from memory; otherwise its rollout is
 * found by id (or taken from the experimental `path`) and replayed. The caller is subscribed; the
 * response carries the rebuilt turns. No `thread/started`.
 */
export const threadResume = handle('thread/resume', ThreadResumeParams, ThreadResumeResponse, async (params, ctx) => {
  const server = ctx.server;
  if (params.history && params.history.length === 0) throw rpcError.invalidRequest('history must not be empty', 'invalidParams');
  if (params.history) {
    throw rpcError.invalidRequest('thread/resume.history is not supported by rxagent; resume by threadId or path', 'unsupported');
  }
  const id = params.path ? undefined : threadIdParam(params.threadId);
  const thread = await server.threads.load(id, async () => {
    const path = params.path ?? (await findRollout(server.codexHome, id!));
    if (!path) throw rpcError.invalidRequest(`no rollout found for thread id ${params.threadId}`, 'threadNotFound');
    return resumeThread(factoryDeps(server), path, sessionRequest(params));
  });
  server.threads.subscribe(thread, ctx.session);
  return { thread: await thread.toWire(true, server.world.now()), ...sessionTail(thread) };
});
