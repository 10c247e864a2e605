import { announceStartupWarnings } from '../../config/startupWarnings.js';
import { InitializeParams, InitializeResponse } from '../../protocol/v1/initialize.js';
import { handle } from '../handler.js';
import { isHeaderValue } from '../identity.js';
import { RpcError, ErrorCode } from '../rpcError.js';

/**
 * `initialize` (SPEC §2.2): records the connection's capabilities, adopts the client for the
 * originator and user agent, answers `{userAgent}`, and only then marks the connection
 * initialized (the router refuses a second one).
 */
export const initialize = handle('initialize', InitializeParams, InitializeResponse, (params, ctx) => {
  const { name, version } = params.clientInfo;
  if (!isHeaderValue(name)) {
    throw new RpcError(ErrorCode.invalidRequest, `Invalid clientInfo.name: '${name}'. Must be a valid HTTP header value.`, 'invalidClientName');
  }
  const { session, server } = ctx;
  session.experimentalApi = params.capabilities?.experimentalApi ?? false;
  session.optOut = new Set(params.capabilities?.optOutNotificationMethods ?? []);
  server.identity.adoptClient({ name, version });
  // Marked now, not after the response is written: a pipelined request read right after this one
  // must already find the connection initialized.
  session.initialized = true;
  // The start-up config warnings follow every successful initialize (SPEC §10.5).
  ctx.afterResponse(() => announceStartupWarnings(server));
  return { userAgent: server.identity.userAgent() };
});
