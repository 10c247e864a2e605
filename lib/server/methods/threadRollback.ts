import { ThreadRollbackParams, ThreadRollbackResponse } from '../../protocol/v2/threadMethods.js';
import { lines } from '../../rollout/lines.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { loadedThread } from './threadSupport.js';

/**
 * `thread/rollback` (SPEC §4.13): persists a `thread_rolled_back` marker (the reducers drop the
 * last N turns from what clients and the model see; nothing is rewritten) and answers with the
 * thread and its remaining turns. Refused while a turn or another rollback is in progress.
 */
export const threadRollback = handle('thread/rollback', ThreadRollbackParams, ThreadRollbackResponse, async (params, ctx) => {
  if (params.numTurns < 1) throw rpcError.invalidRequest('numTurns must be >= 1', 'invalidParams');
  const thread = loadedThread(ctx.server, params.threadId);
  if (thread.rollbackPending) throw rpcError.invalidRequest('rollback already in progress for this thread', 'rollbackInProgress');
  if (thread.activeTurn) throw rpcError.invalidRequest('Cannot rollback while a turn is in progress.', 'turnInProgress');
  if (thread.ephemeral) throw rpcError.invalidRequest('thread has no persisted rollout', 'ephemeralThread');
  thread.rollbackPending = true;
  try {
    await thread.persist([lines.event({ type: 'thread_rolled_back', num_turns: params.numTurns }, ctx.server.world.now())]);
    return { thread: await thread.toWire(true, ctx.server.world.now()) };
  } finally {
    thread.rollbackPending = false;
  }
});
