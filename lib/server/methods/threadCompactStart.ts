import { ThreadCompactStartParams, ThreadCompactStartResponse } from '../../protocol/v2/threadMethods.js';
import { TurnRunner } from '../../turns/turnRunner.js';
import { turnServices } from '../../turns/turnServices.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { loadedThread } from './threadSupport.js';
import { applyOverrides } from './turnStart.js';

/**
 * `thread/compact/start` (SPEC §4.14): answers `{}` at once, then runs a compaction turn: no
 * `turn/started`, a `contextCompaction` item, `thread/compacted`, `turn/completed`. A running turn
 * is interrupted first, as the reference replaces it.
 */
export const threadCompactStart = handle('thread/compact/start', ThreadCompactStartParams, ThreadCompactStartResponse, async (params, ctx) => {
  const thread = loadedThread(ctx.server, params.threadId);
  if (thread.ephemeral) throw rpcError.invalidRequest('ephemeral threads cannot be compacted', 'ephemeralThread');
  await thread.activeTurn?.interrupt();
  const turn = new TurnRunner(thread, turnServices(ctx.server), {
    id: ctx.server.world.newId(),
    kind: 'compact',
    input: [],
    outputSchema: null,
    collaborationMode: applyOverrides(thread, {}),
  });
  thread.activeTurn = turn;
  ctx.afterResponse(() => void turn.start());
  return {};
});
