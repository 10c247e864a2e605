import { TurnInterruptParams, TurnInterruptResponse } from '../../protocol/v2/turnMethods.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { loadedThread } from './threadSupport.js';

/**
 * `turn/interrupt` (SPEC §4.12, §I.2): stops the running turn and answers once the interrupt is
 * recorded, just before `turn/completed` `interrupted`. Unlike the reference, a request with no
 * running turn, or naming another turn, is answered at once with an error.
 */
export const turnInterrupt = handle('turn/interrupt', TurnInterruptParams, TurnInterruptResponse, async (params, ctx) => {
  const thread = loadedThread(ctx.server, params.threadId);
  const turn = thread.activeTurn;
  if (!turn) throw rpcError.invalidRequest(`no active turn to interrupt on thread ${thread.id}`, 'noActiveTurn');
  if (turn.id !== params.turnId) {
    throw rpcError.invalidRequest(`turn ${params.turnId} is not the active turn (${turn.id})`, 'turnMismatch');
  }
  await turn.interrupt();
  return {};
});
