import { ThreadStartParams, ThreadStartResponse } from '../../protocol/v2/threadMethods.js';
import { dynamicToolsProblem } from '../../threads/dynamicTools.js';
import { resolveSession, startThread } from '../../threads/threadFactory.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { factoryDeps, sessionRequest, sessionTail } from './threadSupport.js';

/**
 * `thread/start` (SPEC §4.2): resolves the session's config for its cwd, creates the thread (its
 * rollout is written at the first user message), subscribes the caller, answers, then broadcasts
 * `thread/started`.
 */
export const threadStart = handle('thread/start', ThreadStartParams, ThreadStartResponse, async (params, ctx) => {
  const deps = factoryDeps(ctx.server);
  const dynamicTools = params.dynamicTools ?? [];
  const problem = dynamicToolsProblem(dynamicTools);
  if (problem) throw rpcError.invalidRequest(problem, 'invalidDynamicTools');
  const session = await resolveSession(deps, sessionRequest(params), process.cwd());
  const thread = await startThread(deps, session, { ephemeral: params.ephemeral ?? false, dynamicTools });
  ctx.server.threads.add(thread);
  ctx.server.threads.subscribe(thread, ctx.session);
  const wire = await thread.toWire(false, ctx.server.world.now());
  ctx.afterResponse(() => ctx.server.broadcast('thread/started', { thread: wire }));
  return { thread: wire, ...sessionTail(thread) };
});
