import { IncompleteAccountError } from '../../auth/authManager.js';
import { serverAuth } from '../../auth/serverAuth.js';
import { authSettings, readUserConfig } from '../../auth/userConfig.js';
import { log } from '../../log.js';
import { GetAccountParams, GetAccountResponse } from '../../protocol/v2/account.js';
import { handle, type RequestContext } from '../handler.js';
import { rpcError } from '../rpcError.js';

const readAccount = (ctx: RequestContext): GetAccountResponse => {
  if (!authSettings(readUserConfig(ctx.server)).requiresOpenaiAuth) return { account: null, requiresOpenaiAuth: false };
  try {
    return { account: serverAuth(ctx.server).auth.account(), requiresOpenaiAuth: true };
  } catch (err) {
    if (err instanceof IncompleteAccountError) throw rpcError.invalidRequest(err.message, 'accountIncomplete');
    throw err;
  }
};

/**
 * `account/read` (SPEC §9.2): the signed-in account and whether the active provider needs OpenAI
 * auth (when it does not, `account` is always `null`). `refreshToken: true` refreshes managed
 * ChatGPT tokens first (a failure is only logged); it is ignored for client-managed tokens.
 */
export const accountRead = handle('account/read', GetAccountParams, GetAccountResponse, (params, ctx) => {
  const { auth, queue } = serverAuth(ctx.server);
  return queue.run(() => {
    if (!params.refreshToken || auth.isExternalActive() || auth.mode() !== 'chatgpt') return readAccount(ctx);
    return auth
      .refreshManaged()
      .catch((err: Error) => log.warn('failed to refresh ChatGPT tokens while reading the account', { reason: err.message }))
      .then(() => readAccount(ctx));
  });
});
