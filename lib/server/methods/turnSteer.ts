import { rejectUnsupportedImages } from '../../model/catalogModalities.js';
import { TurnSteerParams, TurnSteerResponse } from '../../protocol/v2/turnMethods.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { loadedThread } from './threadSupport.js';

/**
 * `turn/steer` (SPEC §4.11): adds input to the running turn's next sampling round. The turn must
 * be the one the client expects.
 */
export const turnSteer = handle('turn/steer', TurnSteerParams, TurnSteerResponse, (params, ctx) => {
  const thread = loadedThread(ctx.server, params.threadId);
  if (params.expectedTurnId === '') throw rpcError.invalidRequest('expectedTurnId must not be empty', 'invalidParams');
  const turn = thread.activeTurn;
  if (!turn) throw rpcError.invalidRequest('no active turn to steer', 'noActiveTurn');
  if (turn.id !== params.expectedTurnId) {
    throw rpcError.invalidRequest(`expected active turn id \`${params.expectedTurnId}\` but found \`${turn.id}\``, 'turnMismatch');
  }
  if (params.input.length === 0) throw rpcError.invalidRequest('input must not be empty', 'invalidParams');
  // Images for a text-only model are refused here too, as at `turn/start` (SPEC §I.2).
  rejectUnsupportedImages(thread.catalog.lookup(thread.settings.model), params.input);
  turn.steer(params.input);
  return { turnId: turn.id };
});
