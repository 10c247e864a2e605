import type * as t from 'io-ts';
import type { ClientMethod } from '../protocol/method.js';
import { clientMethods } from '../protocol/registry.js';
import type { ConnectionSession } from './connectionSession.js';
import type { ServerContext } from './serverContext.js';

/** What a handler sees besides its params. */
export interface RequestContext {
  readonly session: ConnectionSession;
  readonly server: ServerContext;
  /**
   * Runs `effect` right after the response is enqueued, so a request's response always precedes
   * the notifications it causes (SPEC §I.1), e.g. `thread/started` after `thread/start`.
   */
  afterResponse(effect: () => void): void;
}

/** Returns the result synchronously when it can: pipelined requests then see its effects in order. */
export type Handler<P = unknown, R = unknown> = (params: P, ctx: RequestContext) => R | Promise<R>;

/** A handler bound to its method definition, typed by the method's codecs. */
export interface MethodHandler {
  readonly def: ClientMethod;
  readonly handle: Handler;
}

/**
 * Binds a handler to the registry's definition of `method`; params arrive decoded by its codec.
 * The codecs are named again so the handler is typed by them; a mismatch with the registry is a
 * programming error caught when the module loads.
 *
 * @example
 * handle('mock/experimentalMethod', MockExperimentalMethodParams, MockExperimentalMethodResponse,
 *   (params) => ({ echoed: params.value }))
 */
export const handle = <P extends t.Mixed, R extends t.Mixed>(
  method: string,
  params: P,
  result: R,
  fn: Handler<t.TypeOf<P>, t.TypeOf<R>>,
): MethodHandler => {
  const def = clientMethods.get(method);
  if (!def || def.params !== params || def.result !== result) {
    throw new Error(`handler for ${method} does not match the registry's codecs`);
  }
  return { def, handle: fn as Handler };
};
