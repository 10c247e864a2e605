import type { ServerContext } from '../server/serverContext.js';
import { AuthManager } from './authManager.js';
import { LoginRegistry } from './loginRegistry.js';
import { authSettings, readUserConfig } from './userConfig.js';

const REFRESH_METHOD = 'account/chatgptAuthTokens/refresh';

/**
 * Runs operations one after another in arrival order. The router runs async handlers
 * concurrently, but account requests must see each other's effects in order as the reference's
 * sequential processor gives them (a pipelined `account/read` after a login sees the new
 * account; a `logout` can't overtake the save of an API key). When nothing is pending an
 * operation runs at once, so a synchronous one keeps answering synchronously.
 *
 * @example
 * handle('account/read', P, R, (params, ctx) => serverAuth(ctx.server).queue.run(() => read(params)));
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  /** Runs `operation` once every earlier one has settled; its result (or failure) is passed through. */
  run<T>(operation: () => T | Promise<T>): T | Promise<T> {
    if (this.pending === 0) {
      const out = operation();
      return out instanceof Promise ? this.track(out) : out;
    }
    return this.track(this.tail.then(operation));
  }

  private track<T>(out: Promise<T>): Promise<T> {
    this.pending++;
    this.tail = out.then(
      () => void this.pending--,
      () => void this.pending--,
    );
    return out;
  }
}

/** A server's account state: its credentials, its browser login, and the queue account requests run in. */
export interface ServerAuth {
  readonly auth: AuthManager;
  readonly logins: LoginRegistry;
  readonly queue: SerialQueue;
}

const perServer = new WeakMap<ServerContext, ServerAuth>();

/**
 * The account state of a server, created on first use. It hangs off the server context (until the
 * context carries it as a field), so handlers and the turn engine share one `AuthManager`. The
 * refresh request is broadcast to every initialized connection (SPEC §1.5, §5.5).
 *
 * @example
 * const { auth } = serverAuth(ctx.server);
 * const creds = auth.current();
 */
export const serverAuth = (server: ServerContext): ServerAuth => {
  let state = perServer.get(server);
  if (!state) {
    state = {
      auth: new AuthManager({
        codexHome: server.codexHome,
        env: server.env,
        settings: () => authSettings(readUserConfig(server)),
        requestRefresh: (params) =>
          server.serverRequests.request(
            [...server.sessions].filter((session) => session.initialized),
            REFRESH_METHOD,
            params,
          ),
      }),
      logins: new LoginRegistry(),
      queue: new SerialQueue(),
    };
    perServer.set(server, state);
  }
  return state;
};
