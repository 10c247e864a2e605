import type { AuthManager } from '../auth/authManager.js';
import { serverAuth } from '../auth/serverAuth.js';
import type { ModelAuth } from '../model/requestTarget.js';
import { createSandbox } from '../sandbox/index.js';
import type { ServerContext } from '../server/serverContext.js';
import { toolRouter } from './tools/toolRouterImpl.js';
import type { TurnServices } from './turnRunner.js';

/**
 * The model credentials of the signed-in account, with one recovery step on a 401 (SPEC §9.5):
 * external ChatGPT tokens are refreshed through the client, managed ones through the token
 * endpoint; an API key has nothing to refresh.
 */
const modelAuth = (auth: AuthManager): ModelAuth => ({
  credentials: () => auth.credentials(),
  recoverUnauthorized: async (step: number) => {
    if (step > 1) return false;
    if (auth.isExternalActive()) {
      await auth.refreshExternal('unauthorized', auth.current()?.accountId ?? null);
      return true;
    }
    if (auth.mode() === 'chatgpt') {
      await auth.refreshManaged();
      return true;
    }
    auth.reload();
    return false;
  },
});

const perServer = new WeakMap<ServerContext, TurnServices>();

/** The services every turn of `server` shares, made once. */
export const turnServices = (server: ServerContext): TurnServices => {
  let services = perServer.get(server);
  if (!services) {
    const sandbox = createSandbox({ env: server.env });
    services = {
      sandbox,
      world: server.world,
      env: server.env,
      serverRequests: server.serverRequests,
      originator: () => server.identity.originator,
      userAgent: () => server.identity.userAgent(),
      auth: modelAuth(serverAuth(server).auth),
      tools: toolRouter({ sandbox }),
    };
    perServer.set(server, services);
  }
  return services;
};
