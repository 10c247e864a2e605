import type * as t from 'io-ts';
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

/**
 * A handler bound to a method and the codecs it was written against. The server checks at
 * start-up that these are the registry's codecs for the method, so a handler can't drift from
 * the protocol definitions.
 */
export interface MethodHandler {
  readonly method: string;
  readonly params: t.Mixed;
  readonly result: t.Mixed;
  readonly handle: Handler;
  /**
   * Reshapes the raw params before they are decoded: for forms the reference's deserializer
   * takes that its schema does not describe (see `thread/resume.history`).
   */
  readonly prepare?: (params: unknown) => unknown;
}

/**
 * Binds a handler to `method`; params arrive decoded by the method's codec, and the handler is
 * typed by the codecs named here.
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
  prepare?: (params: unknown) => unknown,
): MethodHandler => ({ method, params, result, handle: fn as Handler, ...(prepare ? { prepare } : {}) });
