import { serverAuth } from '../../auth/serverAuth.js';
import { issuerOf } from '../../auth/oauth.js';
import { loginPortOf } from '../../auth/chatgptLogin.js';
import { authSettings, readUserConfig, type AuthSettings } from '../../auth/userConfig.js';
import {
  CancelLoginAccountParams,
  CancelLoginAccountResponse,
  LoginAccountParams,
  LoginAccountResponse,
} from '../../protocol/v2/account.js';
import { handle, type RequestContext } from '../handler.js';
import { ErrorCode, RpcError, rpcError } from '../rpcError.js';
import type { ServerContext } from '../serverContext.js';

const externalAuthActive = (): RpcError =>
  rpcError.invalidRequest(
    'External auth is active. Use account/login/start (chatgptAuthTokens) to update it or account/logout to clear it.',
    'externalAuthActive',
  );
const loginMethodDisabled = (message: string): RpcError => rpcError.invalidRequest(message, 'loginMethodDisabled');

const settingsOf = (ctx: RequestContext): AuthSettings => authSettings(readUserConfig(ctx.server));

/** Broadcasts how a login ended, then (on success) the auth mode now in effect (SPEC §9.3). */
const publishLoginCompleted = (server: ServerContext, loginId: string | null, error: string | null): void => {
  server.broadcast('account/login/completed', { loginId, success: error === null, error });
  if (error === null) server.broadcast('account/updated', { authMode: serverAuth(server).auth.mode() });
};

/**
 * Stops the running browser login, then runs `body`. The stopped login's failed
 * `account/login/completed` follows this request's response; the router runs after-response
 * effects only for a result, so when `body` fails it is published on the next turn of the event
 * loop instead, after the error response has been written.
 */
export const stopActiveLoginThen = <T>(ctx: RequestContext, body: () => T | Promise<T>): T | Promise<T> => {
  const publish = serverAuth(ctx.server).logins.stopActive();
  if (!publish) return body();
  ctx.afterResponse(publish);
  const failed = (err: unknown): never => {
    setImmediate(publish);
    throw err;
  };
  try {
    const out = body();
    return out instanceof Promise ? out.catch(failed) : out;
  } catch (err) {
    return failed(err);
  }
};

const loginApiKey = (apiKey: string, ctx: RequestContext): LoginAccountResponse | Promise<LoginAccountResponse> => {
  // The reference stores an empty key and reports a successful API-key login that can never
  // authenticate; an empty key is refused instead (README, Differences).
  if (apiKey.trim() === '') throw rpcError.invalidParams('Invalid params: params.apiKey: must not be empty');
  const { auth } = serverAuth(ctx.server);
  if (auth.isExternalActive()) throw externalAuthActive();
  if (settingsOf(ctx).forcedLoginMethod === 'chatgpt') throw loginMethodDisabled('API key login is disabled. Use ChatGPT login instead.');
  return stopActiveLoginThen(ctx, async () => {
    try {
      await auth.saveApiKey(apiKey);
    } catch (err) {
      throw new RpcError(ErrorCode.internalError, `failed to save api key: ${(err as Error).message}`, 'authStorageFailed');
    }
    ctx.afterResponse(() => publishLoginCompleted(ctx.server, null, null));
    return { type: 'apiKey' };
  });
};

const loginChatgpt = (ctx: RequestContext): LoginAccountResponse | Promise<LoginAccountResponse> => {
  const { server } = ctx;
  const { auth, logins, queue } = serverAuth(server);
  if (auth.isExternalActive()) throw externalAuthActive();
  const settings = settingsOf(ctx);
  if (settings.forcedLoginMethod === 'api') throw loginMethodDisabled('ChatGPT login is disabled. Use API key login instead.');
  return stopActiveLoginThen(ctx, async () => {
    let started;
    try {
      started = await logins.start(
        {
          issuer: issuerOf(server.env),
          originator: server.identity.originator,
          port: loginPortOf(server.env),
          forcedWorkspaceId: settings.forcedChatgptWorkspaceId,
          // In the account queue, so a logout or another login can't interleave with the save;
          // one that stopped this login meanwhile wins.
          persist: (tokens, isCurrent) =>
            Promise.resolve(
              queue.run(() => (isCurrent() ? auth.saveChatgptTokens(tokens) : Promise.reject(new Error('the login was canceled')))),
            ),
        },
        (loginId, error) => publishLoginCompleted(server, loginId, error === null ? null : `Login server error: ${error}`),
      );
    } catch (err) {
      throw new RpcError(ErrorCode.internalError, `failed to start login server: ${(err as Error).message}`, 'loginServerFailed');
    }
    // Watched only once the response is out, so `account/login/completed` can never precede it.
    ctx.afterResponse(started.watch);
    return { type: 'chatgpt', loginId: started.loginId, authUrl: started.authUrl };
  });
};

const loginExternal = (
  params: { accessToken: string; chatgptAccountId: string; chatgptPlanType?: string | null },
  ctx: RequestContext,
): LoginAccountResponse | Promise<LoginAccountResponse> => {
  const { auth } = serverAuth(ctx.server);
  const settings = settingsOf(ctx);
  if (settings.forcedLoginMethod === 'api') throw loginMethodDisabled('External ChatGPT auth is disabled. Use API key login instead.');
  // The reference stops a running browser login before it checks the workspace, so a refused
  // request stops it too.
  return stopActiveLoginThen(ctx, (): LoginAccountResponse => {
    const forced = settings.forcedChatgptWorkspaceId;
    if (forced !== null && params.chatgptAccountId !== forced) {
      throw rpcError.invalidRequest(
        `External auth must use workspace ${forced}, but received ${JSON.stringify(params.chatgptAccountId)}.`,
        'workspaceMismatch',
      );
    }
    try {
      auth.setExternal(params.accessToken, params.chatgptAccountId, params.chatgptPlanType);
    } catch (err) {
      throw new RpcError(ErrorCode.internalError, `failed to set external auth: ${(err as Error).message}`, 'invalidExternalAuth');
    }
    ctx.afterResponse(() => publishLoginCompleted(ctx.server, null, null));
    return { type: 'chatgptAuthTokens' };
  });
};

/**
 * `account/login/start` (SPEC §9.3): `apiKey` (stored in auth.json), `chatgpt` (browser login
 * through a local callback server; completes later with `account/login/completed`) and the
 * experimental `chatgptAuthTokens` (client-managed tokens, memory only). `forced_login_method` and
 * `forced_chatgpt_workspace_id` are enforced; while external tokens are active the other modes are
 * refused. Success is followed by `account/login/completed` and `account/updated`.
 */
export const accountLoginStart = handle('account/login/start', LoginAccountParams, LoginAccountResponse, (params, ctx) =>
  serverAuth(ctx.server).queue.run(() => {
    switch (params.type) {
      case 'apiKey':
        return loginApiKey(params.apiKey, ctx);
      case 'chatgpt':
        return loginChatgpt(ctx);
      case 'chatgptAuthTokens':
        return loginExternal(params, ctx);
    }
  }),
);

/** The canonical (lowercase, hyphenated) form of a UUID in any of the usual notations, else `undefined`. */
const canonicalUuid = (text: string): string | undefined => {
  const bare = text.trim().replace(/^urn:uuid:/i, '').replace(/^\{(.*)\}$/, '$1');
  const hex = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bare) ? bare.replace(/-/g, '') : bare;
  if (!/^[0-9a-f]{32}$/i.test(hex)) return undefined;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/**
 * `account/login/cancel` (SPEC §9.4): stops the browser login `loginId` → `canceled` (its failed
 * `account/login/completed` follows the response), or `notFound`; a non-UUID is `-32600`.
 */
export const accountLoginCancel = handle('account/login/cancel', CancelLoginAccountParams, CancelLoginAccountResponse, (params, ctx) =>
  serverAuth(ctx.server).queue.run((): CancelLoginAccountResponse => {
    const loginId = canonicalUuid(params.loginId);
    if (loginId === undefined) throw rpcError.invalidRequest(`invalid login id: ${params.loginId}`, 'invalidLoginId');
    const publish = serverAuth(ctx.server).logins.stop(loginId);
    if (!publish) return { status: 'notFound' };
    ctx.afterResponse(publish);
    return { status: 'canceled' };
  }),
);
