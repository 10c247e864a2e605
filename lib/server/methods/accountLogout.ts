import * as t from 'io-ts';
import { serverAuth } from '../../auth/serverAuth.js';
import { LogoutAccountResponse } from '../../protocol/v2/account.js';
import { handle, type RequestContext } from '../handler.js';
import { stopActiveLoginThen } from './accountLogin.js';
import { ErrorCode, RpcError } from '../rpcError.js';

/**
 * `account/logout` (SPEC §9.4): stops a running browser login, forgets client-managed tokens and
 * deletes auth.json, then broadcasts `account/updated` with the mode that remains (`null`).
 */
export const accountLogout = handle('account/logout', t.null, LogoutAccountResponse, (_params, ctx) =>
  serverAuth(ctx.server).queue.run(() => logout(ctx)),
);

const logout = (ctx: RequestContext): LogoutAccountResponse | Promise<LogoutAccountResponse> =>
  stopActiveLoginThen(ctx, async () => {
    let authMode;
    try {
      authMode = await serverAuth(ctx.server).auth.logout();
    } catch (err) {
      throw new RpcError(ErrorCode.internalError, `logout failed: ${(err as Error).message}`, 'authStorageFailed');
    }
    ctx.afterResponse(() => ctx.server.broadcast('account/updated', { authMode }));
    return {};
  });
