import * as t from 'io-ts';

/**
 * A client → server method as a value: its name bound to the codecs of its params and result,
 * and whether the whole method is experimental (SPEC §3.1). Field-level experimental markers
 * live on the params codec itself (see `experimental.ts`), so the gate and the schema export
 * are both derived from these definitions.
 *
 * @example
 * const threadRead = clientMethod('thread/read', ThreadReadParams, ThreadReadResponse);
 */
export interface ClientMethod<P extends t.Mixed = t.Mixed, R extends t.Mixed = t.Mixed> {
  readonly kind: 'clientRequest';
  readonly method: string;
  readonly params: P;
  readonly result: R;
  /** The whole method requires `capabilities.experimentalApi`. */
  readonly experimental: boolean;
  /** The reference's `Option<()>` params: the request may omit `params` (SPEC §1.4). */
  readonly paramsOptional: boolean;
}

/** A server → client notification as a value. */
export interface ServerNotification<P extends t.Mixed = t.Mixed> {
  readonly kind: 'serverNotification';
  readonly method: string;
  readonly params: P;
}

/** A server → client request as a value (approvals, tool calls, auth refresh). */
export interface ServerRequest<P extends t.Mixed = t.Mixed, R extends t.Mixed = t.Mixed> {
  readonly kind: 'serverRequest';
  readonly method: string;
  readonly params: P;
  readonly result: R;
}

export const clientMethod = <P extends t.Mixed, R extends t.Mixed>(
  method: string,
  params: P,
  result: R,
  options: { experimental?: boolean; paramsOptional?: boolean } = {},
): ClientMethod<P, R> => ({
  kind: 'clientRequest',
  method,
  params,
  result,
  experimental: options.experimental ?? false,
  paramsOptional: options.paramsOptional ?? false,
});

export const serverNotification = <P extends t.Mixed>(method: string, params: P): ServerNotification<P> => ({
  kind: 'serverNotification',
  method,
  params,
});

export const serverRequest = <P extends t.Mixed, R extends t.Mixed>(
  method: string,
  params: P,
  result: R,
): ServerRequest<P, R> => ({ kind: 'serverRequest', method, params, result });

/** A client → server notification as a value; the only one is `initialized`, which has no params. */
export interface ClientNotification {
  readonly kind: 'clientNotification';
  readonly method: string;
}

/**
 * @example
 * const initialized = clientNotification('initialized');
 */
export const clientNotification = (method: string): ClientNotification => ({ kind: 'clientNotification', method });
