import { ThreadRollbackParams, ThreadRollbackResponse } from '../../protocol/v2/threadMethods.js';
import { UNKNOWN_CODEX_LIMITS } from '../../model/rateLimits.js';
import { lines } from '../../rollout/lines.js';
import { rateLimitsWire } from '../../turns/rateLimitsWire.js';
import { reestimatedUsage } from '../../turns/tokenEstimate.js';
import { tokenInfoWire } from '../../turns/turnRecords.js';
import { historyReducer } from '../../../reducers/historyReducer.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { loadedThread } from './threadSupport.js';

/**
 * `thread/rollback` (SPEC §4.13): persists a `thread_rolled_back` marker (the reducers drop the
 * last N turns from what clients and the model see; nothing is rewritten) and answers with the
 * thread and its remaining turns. As in the reference, the token usage is re-estimated for the
 * shorter history first (a `token_count` before the marker, `thread/tokenUsage/updated` and
 * `account/rateLimits/updated` before the answer). Refused while a turn or another rollback is in
 * progress.
 */
export const threadRollback = handle('thread/rollback', ThreadRollbackParams, ThreadRollbackResponse, async (params, ctx) => {
  if (params.numTurns < 1) throw rpcError.invalidRequest('numTurns must be >= 1', 'invalidParams');
  const thread = loadedThread(ctx.server, params.threadId);
  if (thread.rollbackPending) throw rpcError.invalidRequest('rollback already in progress for this thread', 'rollbackInProgress');
  if (thread.activeTurn) throw rpcError.invalidRequest('Cannot rollback while a turn is in progress.', 'turnInProgress');
  if (thread.ephemeral) throw rpcError.invalidRequest('thread has no persisted rollout', 'ephemeralThread');
  thread.rollbackPending = true;
  try {
    const now = ctx.server.world.now();
    const marker = lines.event({ type: 'thread_rolled_back', num_turns: params.numTurns }, now);
    const info = await reestimatedUsage(thread, historyReducer(thread.state.history, marker));
    await thread.persist([lines.event({ type: 'token_count', info, rate_limits: UNKNOWN_CODEX_LIMITS }, now), marker]);
    // The reference reports the re-estimate under the rollback operation's own id.
    thread.notify('thread/tokenUsage/updated', { threadId: thread.id, turnId: ctx.server.world.newId(), tokenUsage: tokenInfoWire(info) });
    thread.notify('account/rateLimits/updated', { rateLimits: rateLimitsWire(UNKNOWN_CODEX_LIMITS) });
    return { thread: await thread.toWire(true, now) };
  } finally {
    thread.rollbackPending = false;
  }
});
