import { isRight } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { JSONRPCError, JSONRPCNotification, JSONRPCRequest, JSONRPCResponse, RequestId } from '../protocol/envelope.js';

export type { RequestId };

export interface InboundRequest {
  readonly kind: 'request';
  readonly id: RequestId;
  readonly method: string;
  readonly params?: unknown;
}

/** One parsed frame, classified as the reference's untagged union is tried (SPEC §1.1). */
export type InboundMessage =
  | InboundRequest
  | { readonly kind: 'notification'; readonly method: string; readonly params?: unknown }
  | { readonly kind: 'response'; readonly id: RequestId; readonly result: unknown }
  | { readonly kind: 'error'; readonly id: RequestId; readonly error: unknown }
  | { readonly kind: 'invalid'; readonly id: RequestId | null; readonly reason: string };

// `decode`, not `is`: io-ts' `is` insists on the presence of optional `t.unknown` members (`params`).
const fits = <C extends t.Mixed>(codec: C, value: unknown): value is t.TypeOf<C> => isRight(codec.decode(value));

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Classifies a parsed frame: Request (`id` + `method`), Notification (`method`), Response
 * (`id` + `result`), Error (`id` + `error`), tried in that order. Unlike the reference, which
 * drops what fits none of them, rxagent answers it (`-32600`, echoing the id when one is usable).
 * A frame with `method` and an unusable `id` is refused rather than taken for a notification.
 */
export const classifyInbound = (value: unknown): InboundMessage => {
  if (!isObject(value)) return { kind: 'invalid', id: null, reason: 'a message must be a JSON object' };
  const id = RequestId.is(value.id) ? value.id : null;
  if ('id' in value && 'method' in value && id === null) {
    return { kind: 'invalid', id: null, reason: 'id must be a string or an integer' };
  }
  if (fits(JSONRPCRequest, value)) return { kind: 'request', id: value.id, method: value.method, params: value.params };
  if (fits(JSONRPCNotification, value)) return { kind: 'notification', method: value.method, params: value.params };
  // `result`/`error` are schema-`true` (any JSON), so their presence is checked by key.
  if ('result' in value && fits(JSONRPCResponse, value)) return { kind: 'response', id: value.id, result: value.result };
  if ('error' in value && fits(JSONRPCError, value)) return { kind: 'error', id: value.id, error: value.error };
  return {
    kind: 'invalid',
    id,
    reason: 'expected a request ({id, method}), a notification ({method}) or a response ({id, result} or {id, error})',
  };
};
