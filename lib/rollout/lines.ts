import type { ResponseItem } from '../protocol/index.js';
import type { Compacted } from './compacted.js';
import type { KnownEventMsg } from './eventMsg.js';
import type { CompactedLine, EventMsgLine, ResponseItemLine, SessionMetaLine, TurnContextLine } from './rolloutLine.js';
import type { SessionMeta } from './sessionMeta.js';
import type { TurnContext } from './turnContext.js';

/**
 * Line constructors: every line carries the UTC time it is written (SPEC §6.2).
 *
 * @example
 * lines.event({ type: 'agent_message', message: 'hi' }, now);
 */
export const lines = {
  sessionMeta: (payload: SessionMeta, at: Date): SessionMetaLine => ({ timestamp: at.toISOString(), type: 'session_meta', payload }),
  responseItem: (payload: ResponseItem, at: Date): ResponseItemLine => ({ timestamp: at.toISOString(), type: 'response_item', payload }),
  event: (payload: KnownEventMsg, at: Date): EventMsgLine => ({ timestamp: at.toISOString(), type: 'event_msg', payload }),
  turnContext: (payload: TurnContext, at: Date): TurnContextLine => ({ timestamp: at.toISOString(), type: 'turn_context', payload }),
  compacted: (payload: Compacted, at: Date): CompactedLine => ({ timestamp: at.toISOString(), type: 'compacted', payload }),
};
