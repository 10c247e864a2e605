import * as t from 'io-ts';
import { anyJson, int64 } from './codec.js';

/**
 * The JSON-RPC "lite" envelope (SPEC §1.1): JSON-RPC 2.0 shapes without the `"jsonrpc"` member.
 * An incoming message is tried as Request, Notification, Response, Error, in that order (see
 * `JSONRPCMessage`).
 */

/**
 * A request id: a string or an integer (floats are rejected); echoed back verbatim.
 *
 * @example
 * RequestId.is(7); // true
 * RequestId.is(7.5); // false
 */
export const RequestId = t.union([t.string, int64], 'RequestId');
export type RequestId = t.TypeOf<typeof RequestId>;

// `params` may be absent. It is in `t.partial`, not `t.type({ params: t.unknown })`: io-ts's
// `is` requires every `t.type` key to be present even when its codec accepts `undefined`.

/**
 * A request that expects a response; `params` is optional and any JSON.
 *
 * @example
 * JSONRPCRequest.is({ id: 1, method: 'thread/read', params: { threadId: 't' } }); // true
 */
export const JSONRPCRequest = t.intersection(
  [t.type({ id: RequestId, method: t.string }), t.partial({ params: t.unknown })],
  'JSONRPCRequest',
);
export type JSONRPCRequest = t.TypeOf<typeof JSONRPCRequest>;

/**
 * A notification which does not expect a response.
 *
 * @example
 * JSONRPCNotification.is({ method: 'initialized' }); // true
 */
export const JSONRPCNotification = t.intersection(
  [t.type({ method: t.string }), t.partial({ params: t.unknown })],
  'JSONRPCNotification',
);
export type JSONRPCNotification = t.TypeOf<typeof JSONRPCNotification>;

/**
 * A successful (non-error) response to a request.
 *
 * @example
 * JSONRPCResponse.is({ id: 1, result: {} }); // true
 */
export const JSONRPCResponse = t.type({ id: RequestId, result: anyJson }, 'JSONRPCResponse');
export type JSONRPCResponse = t.TypeOf<typeof JSONRPCResponse>;

/**
 * The error object of an error response: `{code, message, data?}`.
 *
 * @example
 * JSONRPCErrorError.is({ code: -32601, message: 'unknown method', data: { kind: 'methodNotFound' } }); // true
 */
export const JSONRPCErrorError = t.intersection(
  [t.type({ code: int64, message: t.string }), t.partial({ data: t.unknown })],
  'JSONRPCErrorError',
);
export type JSONRPCErrorError = t.TypeOf<typeof JSONRPCErrorError>;

/**
 * A response to a request that indicates an error occurred.
 *
 * @example
 * JSONRPCError.is({ id: 1, error: { code: -32600, message: 'Not initialized' } }); // true
 */
export const JSONRPCError = t.type({ error: JSONRPCErrorError, id: RequestId }, 'JSONRPCError');
export type JSONRPCError = t.TypeOf<typeof JSONRPCError>;

/**
 * Any message that can be decoded off the wire, tried in the reference's order: Request,
 * Notification, Response, Error. An object with `method` and no `id` is thus a notification.
 *
 * @example
 * JSONRPCMessage.is({ id: 'a', result: null }); // true
 */
export const JSONRPCMessage = t.union(
  [JSONRPCRequest, JSONRPCNotification, JSONRPCResponse, JSONRPCError],
  'JSONRPCMessage',
);
export type JSONRPCMessage = t.TypeOf<typeof JSONRPCMessage>;
