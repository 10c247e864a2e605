import { ThreadForkParams, ThreadForkResponse } from '../../protocol/v2/threadMethods.js';
import { findRollout } from '../../threads/rolloutLocation.js';
import { forkThread } from '../../threads/threadFactory.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { factoryDeps, sessionRequest, sessionTail, threadIdParam } from './threadSupport.js';

/**
 * `thread/fork` (SPEC §4.4): copies the source rollout into a new thread written at once,
 * subscribes the caller, answers with the rebuilt turns, then broadcasts `thread/started`.
 */
export const threadFork = handle('thread/fork', ThreadForkParams, ThreadForkResponse, async (params, ctx) => {
  const server = ctx.server;
  const path = params.path ?? (await findRollout(server.codexHome, threadIdParam(params.threadId)));
  if (!path) throw rpcError.invalidRequest(`no rollout found for thread id ${params.threadId}`, 'threadNotFound');
  const thread = await forkThread(factoryDeps(server), path, sessionRequest({ ...params, personality: null }));
  server.threads.add(thread);
  server.threads.subscribe(thread, ctx.session);
  const wire = await thread.toWire(true, server.world.now());
  ctx.afterResponse(() => server.broadcast('thread/started', { thread: wire }));
  return { thread: wire, ...sessionTail(thread) };
});
