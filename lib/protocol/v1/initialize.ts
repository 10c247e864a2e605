// `initialize` (SPEC §2.1): the one v1 method v2 clients still call first.

import * as t from 'io-ts';

/** Who the client is; `name` becomes the originator and part of the user agent (SPEC §2.3). */
export const ClientInfo = t.intersection([
  t.type({
    name: t.string,
    version: t.string,
  }),
  t.partial({
    title: t.union([t.string, t.null]),
  }),
], 'ClientInfo');
export type ClientInfo = t.TypeOf<typeof ClientInfo>;

/** Client-declared capabilities negotiated during initialize. */
export const InitializeCapabilities = t.partial({
  /** Opt into receiving experimental API methods and fields. */
  experimentalApi: t.boolean,
  /** Exact notification method names that should be suppressed for this connection (for example `codex/event/session_configured`). */
  optOutNotificationMethods: t.union([t.array(t.string), t.null]),
}, 'InitializeCapabilities');
export type InitializeCapabilities = t.TypeOf<typeof InitializeCapabilities>;

/** Params of `initialize`. */
export const InitializeParams = t.intersection([
  t.type({
    clientInfo: ClientInfo,
  }),
  t.partial({
    capabilities: t.union([InitializeCapabilities, t.null]),
  }),
], 'InitializeParams');
export type InitializeParams = t.TypeOf<typeof InitializeParams>;

/** Result of `initialize`. */
export const InitializeResponse = t.type({
  userAgent: t.string,
}, 'InitializeResponse');
export type InitializeResponse = t.TypeOf<typeof InitializeResponse>;
