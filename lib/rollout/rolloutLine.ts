import * as t from 'io-ts';
import type { ResponseItem } from '../protocol/index.js';
import { Compacted } from './compacted.js';
import { EventMsg } from './eventMsg.js';
import { RolloutResponseItem } from './responseItem.js';
import { SessionMeta } from './sessionMeta.js';
import { TurnContext } from './turnContext.js';

interface Line<T extends string, P> {
  /** UTC time the line was written, `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
  readonly timestamp: string;
  readonly type: T;
  readonly payload: P;
}

export type SessionMetaLine = Line<'session_meta', SessionMeta>;
export type ResponseItemLine = Line<'response_item', ResponseItem>;
export type EventMsgLine = Line<'event_msg', EventMsg>;
export type TurnContextLine = Line<'turn_context', TurnContext>;
export type CompactedLine = Line<'compacted', Compacted>;

/** One line of a rollout file (SPEC §6.2): the persisted events every reducer folds. */
export type RolloutLine = SessionMetaLine | ResponseItemLine | EventMsgLine | TurnContextLine | CompactedLine;

/** The line kinds, each with the codec of its payload. */
const PAYLOADS: { readonly [K in RolloutLine['type']]: t.Type<Extract<RolloutLine, { type: K }>['payload'], unknown, unknown> } = {
  session_meta: SessionMeta,
  response_item: RolloutResponseItem,
  event_msg: EventMsg,
  turn_context: TurnContext,
  compacted: Compacted,
};

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

const isLineType = (type: unknown): type is RolloutLine['type'] =>
  typeof type === 'string' && Object.prototype.hasOwnProperty.call(PAYLOADS, type);

/**
 * Codec of the line envelope `{timestamp, type, payload}`. It dispatches on `type` before looking
 * at the payload, so a 16 MiB `response_item` is validated once, not once per union member. A line
 * whose `type` is none of the five fails, as it fails in the reference (which then skips it).
 *
 * @example
 * RolloutLine.decode(JSON.parse('{"timestamp":"2026-02-12T19:27:11.532Z","type":"event_msg","payload":{"type":"agent_message","message":"hi"}}'));
 */
export const RolloutLine = new t.Type<RolloutLine, unknown, unknown>(
  'RolloutLine',
  (u): u is RolloutLine => isRecord(u) && typeof u.timestamp === 'string' && isLineType(u.type) && PAYLOADS[u.type].is(u.payload),
  (u, c) => {
    if (!isRecord(u)) return t.failure(u, c, 'a rollout line must be a JSON object');
    if (typeof u.timestamp !== 'string') return t.failure(u.timestamp, t.appendContext(c, 'timestamp', t.string, u.timestamp), 'missing "timestamp"');
    if (!isLineType(u.type)) return t.failure(u.type, t.appendContext(c, 'type', t.string, u.type), `unknown line type ${JSON.stringify(u.type)}`);
    const codec = PAYLOADS[u.type];
    const payload = codec.validate(u.payload, t.appendContext(c, 'payload', codec, u.payload));
    if (payload._tag === 'Left') return payload;
    return t.success({ timestamp: u.timestamp, type: u.type, payload: payload.right } as RolloutLine);
  },
  (line) => ({ timestamp: line.timestamp, type: line.type, payload: PAYLOADS[line.type].encode(line.payload as never) }),
);
